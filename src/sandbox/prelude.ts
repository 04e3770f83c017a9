/**
 * @module sandbox/prelude
 * Guest-side code evaluated in every fresh context before the module: a `console` bound to the
 * host log function, and the helpers the engine calls (describe the export, call a path, to JSON).
 */

import { COMPILE_GUARDS } from "./prelude-compile.ts"
import { STRING_SEARCH_GUARDS } from "./prelude-strings.ts"
import { MAX_BUILT_STRING_CHARS, STRING_BUILD_GUARDS } from "./prelude-builders.ts"
import { EXPANSION_GUARDS } from "./prelude-expansions.ts"
import { ARRAY_LIKE_GUARDS } from "./prelude-arraylike.ts"
import { BIGINT_GUARDS } from "./prelude-bigint.ts"
import { MAX_FAULT_NAME_CHARS, MAX_FAULT_STACK_CHARS, SECRET_CUT_MARGIN } from "./types.ts"

/** Characters of one guest console line (the rest is cut, with "…", on the host: sandbox/received). */
export const MAX_LOG_CHARS = 2000

/** Characters of a console line the worker keeps: the host cuts it to MAX_LOG_CHARS knowing the secrets. */
export const MAX_SENT_LOG_CHARS = MAX_LOG_CHARS + SECRET_CUT_MARGIN

/** Largest JSON result of a hook handed back to the host (characters). */
export const MAX_RESULT_CHARS = 8 * 1024 * 1024

/**
 * Levels of arrays and objects a JSON text written in the sandbox may nest (a hook's result, the
 * guest's own JSON.stringify, a console argument). QuickJS writes nested JSON in time quadratic in
 * its depth (each level checks the levels above it for a cycle): 3 000 levels took ~1.5 s, a route
 * hook's timeout (or, on a starved machine, a watchdog kill) reported as "deadline exceeded", not
 * as what was wrong. Past this the write is refused, naming the limit. Above what a hook is handed
 * (route arguments: 256 levels, plugin/route-args) and what a tools hook writes for a schema the
 * host still reads as one (200 schema levels are ~400 of JSON); reached in a few tens of ms.
 */
export const MAX_JSON_DEPTH = 512

/**
 * Characters of a thrown value's message (and of its JSON, for a value with none) the host is handed;
 * its classification cuts it to 2000 for the error anyway (faults.ts).
 */
export const MAX_THROWN_CHARS = 4096

/** The guest's cuts of a thrown value, with the margin for the host's secret-safe cut (sandbox/received). */
const SENT_THROWN = MAX_THROWN_CHARS + SECRET_CUT_MARGIN
const SENT_NAME = MAX_FAULT_NAME_CHARS + SECRET_CUT_MARGIN
const SENT_STACK = MAX_FAULT_STACK_CHARS + SECRET_CUT_MARGIN

/**
 * Characters of strings a JSON write counts at their length before it measures each string's JSON
 * exactly: a control character is 6 characters written (`\u0001`) and costs ~0.5 µs to escape, so
 * 3 M of them (counted as 3 M of an 8 M budget) wrote 18 M in one native step: a watchdog kill.
 */
export const JSON_CHEAP_CHARS = 64 * 1024

/** Characters of one string whose JSON is measured in one native step (its worst: 96 Ki written, milliseconds). */
export const JSON_PIECE_CHARS = 16 * 1024

/**
 * Characters that escapes add to one JSON write (past the strings' own): escaping costs ~100 times
 * a plain copy per character, so this bounds the write's native time (~100 k control characters, ~60–90 ms; 512 K quotes or newlines, ~40 ms).
 */
export const MAX_JSON_ESCAPES = 512 * 1024

/** Characters of JSON a console argument may take to be written (then cut to MAX_LOG_CHARS); a larger one is not. */
export const MAX_LOG_JSON_CHARS = 1024 * 1024

/**
 * Arrays (and array-likes) longer than this are refused by the guarded Array.prototype methods: a
 * native loop over an array's elements (holes too) costs ~60 ns each in the sandbox, so 16 Mi of
 * them (`new Array(16e6).indexOf(1)`, `.slice()`, `.forEach(f)`: ~1 s) ran past a hook's deadline
 * and the watchdog's grace, a kill; 1 Mi runs well within the grace.
 */
export const MAX_ARRAY_LENGTH = 1024 * 1024

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
 * Evaluates to a function `(hostLog, guardNames, compileCheck) => helpers` (compileCheck: see
 * prelude-compile.ts). It captures the intrinsics it needs before any
 * module code runs, so a module that later replaces `JSON` or prototypes only hurts itself.
 * The helpers object is never reachable from guest globals.
 */
export const PRELUDE = String.raw`(function (hostLog, guardNames, compileCheck) {
  "use strict";
  var stringify = JSON.stringify, parse = JSON.parse, isArray = Array.isArray, keys = Object.keys;
  var apply = Reflect.apply, StringCtor = String, TypeErrorCtor = TypeError, MAX_LOG = ${MAX_SENT_LOG_CHARS}, define = Object.defineProperty;
  // captured: a module that replaces String.prototype.slice must not lift the cap on a console line
  var strSlice = String.prototype.slice, strCharCodeAt = String.prototype.charCodeAt, dateNow = Date.now;
  // Collections and typed arrays have no own enumerable keys: JSON.stringify writes {} for a Map
  // full of data. They become plain data (a Map with string or number keys an object, else its
  // entries; a Set or typed array an array). Brand checks (the size getter, the typed array tag
  // getter), not instanceof or toString, so a script's prototype games only change its own value.
  var gopd = Object.getOwnPropertyDescriptor, getProto = Object.getPrototypeOf, PromiseCtor = Promise;
  var WeakMapCtor = WeakMap, wmGet = WeakMap.prototype.get, wmSet = WeakMap.prototype.set, wmDelete = WeakMap.prototype.delete;
  var mapSize = gopd(Map.prototype, "size").get, mapEach = Map.prototype.forEach;
  var setSize = gopd(Set.prototype, "size").get, setEach = Set.prototype.forEach;
  var taTag = gopd(getProto(Uint8Array.prototype), Symbol.toStringTag).get, taLength = gopd(getProto(Uint8Array.prototype), "length").get;
  // not Array.prototype.push: a script may have replaced it
  function put(a, v) { define(a, a.length, { value: v, writable: true, enumerable: true, configurable: true }); }
  function branded(getter, x) { try { apply(getter, x, []); return true; } catch (e) { return false; } }
  var ObjectProto = Object.prototype, ArrayProto = Array.prototype;
  // An Error has no own enumerable keys either: a caught tool failure, logged or returned, was a
  // bare {} ("catch (e) { console.log(e) }"). It becomes its "Name: message" line (the message cut
  // to MAX_ERROR_TEXT characters: reading it runs guest getters, under the deadline)
  var ErrorCtor = Error, MAX_ERROR_TEXT = ${MAX_LOG_JSON_CHARS};
  function errorText(x) {
    var name = x.name, message = x.message;
    var s = (name === undefined ? "Error" : StringCtor(name)) + (message === undefined || message === "" ? "" : ": " + StringCtor(message));
    return s.length > MAX_ERROR_TEXT ? apply(strSlice, s, [0, MAX_ERROR_TEXT]) + "…" : s;
  }
  function plain(x) {
    if (x === null || typeof x !== "object") return x;
    // plain objects and arrays (nearly every value) skip the brand checks, whose failures throw:
    // an exception per level of a value nested thousands deep is too slow
    var p = getProto(x);
    if (p === ObjectProto || p === ArrayProto || p === null) return x;
    if (x instanceof ErrorCtor) return errorText(x);
    if (apply(taTag, x, []) !== undefined) {
      var n = apply(taLength, x, []), arr = [];
      for (var i = 0; i < n; i++) put(arr, typeof x[i] === "bigint" ? StringCtor(x[i]) : x[i]);
      return arr;
    }
    if (branded(mapSize, x)) {
      var entries = [], named = true;
      apply(mapEach, x, [function (v, k) { if (typeof k !== "string" && typeof k !== "number") named = false; var e = []; put(e, k); put(e, v); put(entries, e); }]);
      if (!named) return entries;
      var o = {};
      for (var j = 0; j < entries.length; j++) define(o, StringCtor(entries[j][0]), { value: entries[j][1], enumerable: true, writable: true, configurable: true });
      return o;
    }
    if (branded(setSize, x)) {
      var items = [];
      apply(setEach, x, [function (v) { put(items, v); }]);
      return items;
    }
    return x;
  }
  // a console line shows what the value is (a Map's entries, a BigInt, an un-awaited call), never a bare {}
  function logReplacer(k, x) {
    if (typeof x === "bigint") return bigText(x);
    if (x instanceof PromiseCtor) return "[Promise: not awaited]";
    return plain(x);
  }
  // a reference back to an object being written is "[Circular]" (JSON.stringify throws on it): the
  // holders from the root to the value written now are kept on a stack, as the write descends
  // (and marked in a WeakMap, so a deep value is not searched once per member)
  function decycled(inner) {
    var stack = [], n = 0, on = new WeakMapCtor();
    return function (k, x) {
      var y = apply(inner, this, [k, x]);
      if (y === null || typeof y !== "object") return y;
      while (n > 0 && stack[n - 1] !== this) apply(wmDelete, on, [stack[--n]]);
      if (n === 0) { stack[n++] = this; apply(wmSet, on, [this, true]); }
      if (apply(wmGet, on, [y]) === true) return "[Circular]";
      stack[n++] = y;
      apply(wmSet, on, [y, true]);
      return y;
    };
  }
  function logJson(v, replacer) { return stringify(v, budgeted(${MAX_LOG_JSON_CHARS}, replacer)); }
  function fmt(v) {
    if (typeof v === "string") return v;
    if (typeof v === "bigint") return bigText(v);
    if (v instanceof ErrorCtor) return errorText(v);
    // written under a bound, as a result is (budgeted, below): a 30 M-character string inside an
    // object was copied in one native step the deadline never sees
    try {
      var s;
      try { s = logJson(v, logReplacer); } catch (e) {
        // a cycle: written again with its back references named (rare, so the stack costs only then)
        if (e instanceof Overflow || e instanceof TooDeep || e instanceof Escapes) throw e;
        s = logJson(v, decycled(logReplacer));
      }
      return s === undefined ? StringCtor(v) : s;
    } catch (e) {
      if (e instanceof TooDeep) return "[a value nesting over ${MAX_JSON_DEPTH} levels of arrays and objects, not logged]";
      if (e instanceof Escapes) return "[a value whose JSON escapes would add over ${MAX_JSON_ESCAPES} characters, not logged]";
      return e instanceof Overflow ? "[a value over ${MAX_LOG_JSON_CHARS} characters of JSON, not logged]" : StringCtor(v);
    }
  }
  function logger(level) {
    return function () {
      var s = "";
      for (var i = 0; i < arguments.length && s.length < MAX_LOG; i++) s += (i ? " " : "") + fmt(arguments[i]);
      // as JSON: a string read from the engine directly goes through its UTF-8 bytes, where a lone
      // surrogate ("\uD800") became three U+FFFD; JSON escapes it, as a result's JSON does
      hostLog(level, stringify(s.length > MAX_LOG ? apply(strSlice, s, [0, MAX_LOG]) + "…" : s));
    };
  }
  var RangeErrorCtor = RangeError, MAX_LEN = ${MAX_ARRAY_LENGTH}, AP = Array.prototype, MAX_BUILT = ${MAX_BUILT_STRING_CHARS};
  // join and its kin write a string element by element (~30 ns each, holes too): bounded as a built string is
  var joins = { join: true, toString: true, toLocaleString: true };
  // a length that could read differently at the native method's own read (a getter, a Proxy), concat
  // of spreadable values, flat and String.raw: prelude-arraylike.ts
  var lengths = guardNames ? (${ARRAY_LIKE_GUARDS})(put, isArray, taLength) : undefined, createObj = Object.create;
  // the methods that write into their receiver: a stand-in receiver would take the writes
  var writes = { fill: true, copyWithin: true, reverse: true, shift: true, unshift: true, splice: true, sort: true };
  function guard(name) {
    var orig = AP[name], limit = joins[name] === true ? MAX_BUILT : MAX_LEN;
    if (typeof orig !== "function") return;
    var wrapped = function () {
      if (name === "concat") return lengths.concat(this, arguments, limit, orig);
      var shaky = this !== null && this !== undefined && lengths.unstable(this);
      var len = this === null || this === undefined ? 0 : +this.length;
      if (len > limit) {
        throw new RangeErrorCtor("Array." + name + " on length " + len + " refused by the sandbox (limit " + limit + ")");
      }
      if (name === "flat") return lengths.flat(this, arguments, orig);
      if (!shaky) return apply(orig, this, arguments);
      // the native method reads the length again: it gets the one measured here
      if (writes[name] === true) throw new RangeErrorCtor("Array." + name + " on an array-like whose length is a getter or a Proxy, refused by the sandbox (its length could change between the check and the loop)");
      var fixed = createObj(this);
      define(fixed, "length", { value: len, writable: true, enumerable: false, configurable: true });
      return apply(orig, fixed, arguments);
    };
    define(wrapped, "name", { value: name });
    define(AP, name, { value: wrapped, writable: true, enumerable: false, configurable: true });
  }
  if (guardNames) for (var g = 0; g < guardNames.length; g++) guard(guardNames[g]);
  // a string one native step would build: refused over MAX_BUILT characters before it starts
  function fits(n, what) {
    if (n > MAX_BUILT) throw new RangeErrorCtor(what + " would build " + n + " characters, refused by the sandbox (limit " + MAX_BUILT + ")");
  }
  // string searches: windowed, so one never runs for hours in native code (prelude-strings.ts)
  var poll = guardNames ? (${STRING_SEARCH_GUARDS})(put, fits) : undefined;
  // repeat, padStart, padEnd, case mappings: bounded before they start; normalize and localeCompare in pieces (prelude-builders.ts)
  if (guardNames) (${STRING_BUILD_GUARDS})(fits, poll);
  // iterators, Array.from, Object.keys and kin over a long string or array: interruptible or refused (prelude-expansions.ts)
  if (guardNames) (${EXPANSION_GUARDS})(put, fits);
  // a BigInt written in decimal over the limit: refused before it starts (prelude-bigint.ts); bigText writes one for the console
  var bigText = guardNames ? (${BIGINT_GUARDS})() : function (x) { return StringCtor(x) + "n"; };
  // eval and the Function constructors: source that would compile for long is refused first
  if (compileCheck) (${COMPILE_GUARDS})(compileCheck);
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
    if (t !== "object" || x === null) return x;
    // plain objects and arrays (nearly every value): one call, nothing more per level
    var p = getProto(x);
    if (p === ObjectProto || p === ArrayProto || p === null) return x;
    // an async call not awaited: JSON.stringify would write {} and hide that it was never awaited
    if (x instanceof PromiseCtor) throw new TypeErrorCtor("hook result is not JSON data: Promise" + (k ? " at key '" + k + "'" : ""));
    return plain(x);
  }
  // JSON.stringify copies and escapes every string in one native step the deadline never sees (30 M
  // characters took past the watchdog's grace: a kill, not a fault naming the limit). The replacer,
  // called before each value is written, counts the least JSON it will write (a string's quotes and
  // characters, an object member's key, 1 for any other value) and stops the write past the limit:
  // never a value whose JSON is within it
  // With an indentation (gap: its width) each value but the outermost also starts a line indented
  // by gap per level it is nested (a WeakMap holds the level of each object written): 10 spaces
  // per level of a deep value were written unseen ("JSON.stringify(big, null, 10)")
  // The same WeakMap bounds the nesting: an object or array more than MAX_JSON_DEPTH levels deep
  // stops the write (TooDeep) before QuickJS spends time quadratic in the depth on it
  // A string's escapes count too: past JSON_CHEAP_CHARS of strings, each string's JSON is measured
  // (a long one in pieces of JSON_PIECE_CHARS, with interrupt checks between them), and a write
  // whose escapes add over MAX_JSON_ESCAPES characters stops (Escapes)
  function Overflow() {}
  function TooDeep() {}
  function Escapes() {}
  function budgeted(limit, inner, gap) {
    var left = limit, levels = new WeakMapCtor(), cheap = ${JSON_CHEAP_CHARS}, escapes = ${MAX_JSON_ESCAPES}, since = dateNow();
    // characters the JSON of string s takes, quotes and escapes included
    function cost(s) {
      var n = s.length;
      if (n + 2 > left) throw new Overflow();
      if (cheap >= n) { cheap -= n; return n + 2; }
      cheap = 0;
      var out = 2, i = 0;
      while (i < n) {
        var end = i + ${JSON_PIECE_CHARS};
        // a surrogate pair is never cut (half of one is escaped)
        if (end < n && (apply(strCharCodeAt, s, [end - 1]) & 0xfc00) === 0xd800) end--;
        out += stringify(apply(strSlice, s, [i, end])).length - 2;
        i = end;
        if (out - 2 - i > escapes) throw new Escapes();
        if (out > left) throw new Overflow();
        if (poll) since = poll(since);
      }
      escapes -= out - 2 - n;
      return out;
    }
    return function (k, x) {
      var y = inner ? apply(inner, this, [k, x]) : x;
      if (y !== undefined) {
        left -= (typeof y === "string" ? cost(y) : 1) + (isArray(this) ? 0 : cost(k) + 1);
        var nested = y !== null && typeof y === "object";
        if (gap > 0 || nested) {
          var level = apply(wmGet, levels, [this]) || 0;
          if (gap > 0 && level > 0) left -= 1 + gap * level;
          if (nested && left >= 0) {
            if (level >= ${MAX_JSON_DEPTH}) throw new TooDeep();
            apply(wmSet, levels, [y, level + 1]);
          }
        }
      }
      if (left < 0) throw new Overflow();
      return y;
    };
  }
  // the width JSON.stringify indents by (as the language reads its space argument)
  var NumberCtor = Number, mathMin = Math.min, mathFloor = Math.floor, numberBrand = Number.prototype.valueOf, stringBrand = String.prototype.valueOf;
  function gapOf(space) {
    if (space !== null && typeof space === "object") {
      if (branded(numberBrand, space)) space = NumberCtor(space);
      else if (branded(stringBrand, space)) space = StringCtor(space);
    }
    if (typeof space === "number") return space >= 1 ? mathMin(10, mathFloor(space)) : 0;
    if (typeof space === "string") return mathMin(10, space.length);
    return 0;
  }
  /**
   * JSON of { v }; a value that is not JSON data, or that is over \`limit\` characters of JSON
   * (default MAX_RESULT), raises a "ResultError" (the host's "result" fault).
   */
  function json(v, limit) {
    var max = typeof limit === "number" ? limit : ${MAX_RESULT_CHARS};
    try { return stringify({ v: v }, budgeted(max, replacer)); } catch (e) {
      var err = new TypeErrorCtor(e instanceof Overflow ? "the value is over " + max + " characters of JSON, more than a result may be" : e instanceof TooDeep ? "the value nests over ${MAX_JSON_DEPTH} levels of arrays and objects, more than a result may" : e instanceof Escapes ? "the value's strings need over ${MAX_JSON_ESCAPES} characters of JSON escapes (control characters, quotes, backslashes), more than a result may" : e && e.message ? e.message : StringCtor(e));
      err.name = "ResultError";
      throw err;
    }
  }
  // the guest's own JSON.stringify, under the same budget: a 30 M-character string it wrote was
  // copied and escaped in one native step (a watchdog kill). A function replacer is called inside
  // the budget's; an array replacer (a key list) is checked by a write without it first
  if (guardNames) (function () {
    var JSONObj = JSON;
    function refused() { return new RangeErrorCtor("JSON.stringify would write over ${MAX_RESULT_CHARS} characters, refused by the sandbox (limit ${MAX_RESULT_CHARS})"); }
    function tooDeep() { return new RangeErrorCtor("JSON.stringify of a value nesting over ${MAX_JSON_DEPTH} levels of arrays and objects, refused by the sandbox (limit ${MAX_JSON_DEPTH})"); }
    var wrapped = function (value, replacer, space) {
      var fn = typeof replacer === "function", list = !fn && isArray(replacer), gap = gapOf(space);
      try {
        if (list) apply(stringify, JSONObj, [value, budgeted(${MAX_RESULT_CHARS}, undefined, gap)]);
        else return apply(stringify, JSONObj, [value, budgeted(${MAX_RESULT_CHARS}, fn ? replacer : undefined, gap), space]);
      } catch (e) {
        if (e instanceof Overflow) throw refused();
        if (e instanceof TooDeep) throw tooDeep();
        if (e instanceof Escapes) throw new RangeErrorCtor("JSON.stringify would add over ${MAX_JSON_ESCAPES} characters of escapes, refused by the sandbox (limit ${MAX_JSON_ESCAPES})");
        throw e;
      }
      return apply(stringify, JSONObj, [value, replacer, space]);
    };
    define(wrapped, "name", { value: "stringify" });
    define(wrapped, "length", { value: 3 });
    define(JSONObj, "stringify", { value: wrapped, writable: true, enumerable: false, configurable: true });
  })();
  // what was thrown, as a small plain value for the host to dump: the engine's own dump copies a
  // message, name or stack of any length (or writes a thrown object's JSON) in one native step the
  // deadline never sees, so 30 M characters thrown got the hook killed. Reading them runs guest code
  // (getters, toString) under the deadline; the shapes are those the engine's dump gives (faults.ts).
  function cut(s, n) { return s.length > n ? apply(strSlice, s, [0, n]) : s; }
  function thrown(e) {
    var t = typeof e;
    // a primitive as its JSON in an object (the host says "threw <its JSON>"): a string handed over
    // as it is is read through the engine's UTF-8 bytes, a lone surrogate as three U+FFFD
    if (t === "string") return { notError: true, message: stringify(cut(e, ${SENT_THROWN})) };
    if (t === "bigint") return { notError: true, message: stringify(bigText(e)) };
    if (t === "symbol") return { notError: true, message: stringify(StringCtor(e)) };
    if (e === null || (t !== "object" && t !== "function")) return e;
    var out = {}, v;
    try { v = e.name; if (typeof v === "string") out.name = cut(v, ${SENT_NAME}); } catch (x) {}
    try { v = e.stack; if (typeof v === "string") out.stack = cut(v, ${SENT_STACK}); } catch (x) {}
    try { v = e.message; if (typeof v === "string") { out.message = cut(v, ${SENT_THROWN}); return out; } } catch (x) {
      // a message getter that throws: its JSON ({}) read as the message; say what happened instead
      var why;
      try { why = x instanceof ErrorCtor ? errorText(x) : typeof x === "string" ? cut(x, ${SENT_THROWN}) : stringify(x, budgeted(${MAX_THROWN_CHARS})); } catch (y) { why = undefined; }
      if (typeof why !== "string") why = "a value that cannot be written";
      out.message = cut("[its message could not be read: reading it threw " + why + "]", ${SENT_THROWN});
      return out;
    }
    // no message: not an Error (\`throw { code: 1 }\`): its JSON, marked so the host says "threw …"
    if (out.name === undefined) out.notError = true;
    // a Promise's JSON is {}: it is a call or async function not awaited
    if (e instanceof PromiseCtor) { out.message = "a Promise (a tool call or async function that was not awaited: write await)"; return out; }
    try { v = stringify(e, budgeted(${MAX_THROWN_CHARS})); } catch (x) { v = undefined; }
    if (typeof v !== "string") { try { v = StringCtor(e); } catch (x) { v = undefined; } }
    // too large or cyclic for JSON, and no toString of its own: "[object Object]" said nothing of it
    if (typeof v !== "string" || apply(strSlice, v, [0, 8]) === "[object ") {
      var keys = [], n = 0;
      try { for (var k in e) { if (n++ >= 8) { keys.push("…"); break; } keys.push(k); } } catch (x) {}
      v = "an object" + (keys.length ? " with the keys " + keys.join(", ") : " with no keys") + " (its JSON is over ${MAX_THROWN_CHARS} characters or has a cycle)";
    }
    out.message = cut(v, ${SENT_THROWN});
    return out;
  }
  return {
    describe: function (exp) { return stringify(describe(exp, 0)); },
    /** Call the function at path; a plain result comes back as its JSON string, a promise as is. */
    call: function (exp, pathJson, argsJson) {
      var path = parse(pathJson), self = undefined, fn = exp;
      for (var i = 0; i < path.length; i++) {
        if (fn === null || fn === undefined) throw new TypeErrorCtor("no export at " + path.join("."));
        self = fn; fn = fn[path[i]];
      }
      // the host calls only what the loaded export had as a function: this evaluation of the module
      // (a lane's own, a rebuild after a fault) exported something else
      if (typeof fn !== "function") throw new TypeErrorCtor("export " + path.join(".") + " is not a function in this evaluation of the module, though it was when the plugin loaded: the module is evaluated again on each lane and after each fault, so its export must not depend on Math.random, Date or anything else that changes");
      var r = apply(fn, self, parse(argsJson));
      return r instanceof PromiseCtor ? r : json(r);
    },
    json: json,
    thrown: thrown
  };
})`
