/**
 * @module sandbox/prelude
 * Guest-side code evaluated in every fresh context before the module: a `console` bound to the
 * host log function, and the helpers the engine calls (describe the export, call a path, to JSON).
 */

/** Characters of one guest console line (the rest is cut, with "…"); the host cuts again on receipt. */
export const MAX_LOG_CHARS = 2000

/** Arrays (and array-likes) longer than this are refused by the guarded Array.prototype methods. */
export const MAX_ARRAY_LENGTH = 16 * 1024 * 1024

/**
 * Array.prototype methods that loop over `length` in native code without ever reaching the
 * interrupt handler (`new Array(1e9).join()` runs ~17 s; `indexOf.call({length: 2**53-1})` for
 * ever). The prelude wraps them to refuse lengths over MAX_ARRAY_LENGTH before they start.
 */
export const GUARDED_ARRAY_METHODS = [
  "join", "toString", "toLocaleString", "indexOf", "lastIndexOf", "includes", "fill", "copyWithin", "reverse", "shift", "unshift",
  "slice", "splice", "concat", "flat", "flatMap", "sort", "toSorted", "toReversed", "toSpliced", "with",
  "forEach", "map", "filter", "some", "every", "reduce", "reduceRight", "find", "findIndex", "findLast", "findLastIndex",
]

/**
 * Evaluates to a function `(hostLog, guardNames) => helpers`. It captures the intrinsics it needs before any
 * module code runs, so a module that later replaces `JSON` or prototypes only hurts itself.
 * The helpers object is never reachable from guest globals.
 */
export const PRELUDE = String.raw`(function (hostLog, guardNames) {
  "use strict";
  var stringify = JSON.stringify, parse = JSON.parse, isArray = Array.isArray, keys = Object.keys;
  var apply = Reflect.apply, StringCtor = String, TypeErrorCtor = TypeError, MAX_LOG = ${MAX_LOG_CHARS};
  // captured: a module that replaces String.prototype.slice must not lift the cap on a console line
  var strSlice = String.prototype.slice;
  function fmt(v) {
    if (typeof v === "string") return v;
    try { var s = stringify(v); return s === undefined ? StringCtor(v) : s; } catch (e) { return StringCtor(v); }
  }
  function logger(level) {
    return function () {
      var s = "";
      for (var i = 0; i < arguments.length && s.length < MAX_LOG; i++) s += (i ? " " : "") + fmt(arguments[i]);
      hostLog(level, s.length > MAX_LOG ? apply(strSlice, s, [0, MAX_LOG]) + "…" : s);
    };
  }
  var RangeErrorCtor = RangeError, MAX_LEN = ${MAX_ARRAY_LENGTH}, AP = Array.prototype, define = Object.defineProperty;
  function guard(name) {
    var orig = AP[name];
    if (typeof orig !== "function") return;
    var wrapped = function () {
      var len = this === null || this === undefined ? 0 : +this.length;
      if (name === "concat") for (var i = 0; i < arguments.length; i++) if (isArray(arguments[i])) len += arguments[i].length;
      if (len > MAX_LEN) {
        throw new RangeErrorCtor("Array." + name + " on length " + len + " refused by the sandbox (limit " + MAX_LEN + ")");
      }
      return apply(orig, this, arguments);
    };
    define(wrapped, "name", { value: name });
    define(AP, name, { value: wrapped, writable: true, enumerable: false, configurable: true });
  }
  if (guardNames) for (var g = 0; g < guardNames.length; g++) guard(guardNames[g]);
  var con = { log: logger("info"), info: logger("info"), debug: logger("debug"), warn: logger("warn"), error: logger("error") };
  Object.defineProperty(globalThis, "console", { value: Object.freeze(con), writable: false, enumerable: false, configurable: false });
  function describe(v, depth) {
    if (typeof v === "function") return { "$fn": true };
    if (v === null || typeof v !== "object") return v;
    if (depth > 8) return null;
    if (isArray(v)) {
      var out = [];
      for (var i = 0; i < v.length && i < 1000; i++) out.push(describe(v[i], depth + 1));
      return out;
    }
    var o = {}, ks = keys(v);
    for (var j = 0; j < ks.length && j < 1000; j++) o[ks[j]] = describe(v[ks[j]], depth + 1);
    return o;
  }
  function replacer(k, x) {
    var t = typeof x;
    if (t === "function" || t === "symbol") throw new TypeErrorCtor("hook result is not JSON data: " + t + (k ? " at key '" + k + "'" : ""));
    return x;
  }
  /** JSON of { v }; a value that is not JSON data raises a "ResultError" (the host's "result" fault). */
  function json(v) {
    try { return stringify({ v: v }, replacer); } catch (e) {
      var err = new TypeErrorCtor(e && e.message ? e.message : StringCtor(e));
      err.name = "ResultError";
      throw err;
    }
  }
  var PromiseCtor = Promise;
  return {
    describe: function (exp) { return stringify(describe(exp, 0)); },
    /** Call the function at path; a plain result comes back as its JSON string, a promise as is. */
    call: function (exp, pathJson, argsJson) {
      var path = parse(pathJson), self = undefined, fn = exp;
      for (var i = 0; i < path.length; i++) {
        if (fn === null || fn === undefined) throw new TypeErrorCtor("no export at " + path.join("."));
        self = fn; fn = fn[path[i]];
      }
      if (typeof fn !== "function") throw new TypeErrorCtor("export " + path.join(".") + " is not a function");
      var r = apply(fn, self, parse(argsJson));
      return r instanceof PromiseCtor ? r : json(r);
    },
    json: json
  };
})`
