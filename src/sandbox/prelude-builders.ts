/**
 * @module sandbox/prelude-builders
 * Guest-side bounds on the String.prototype methods that build or rewrite a string character by
 * character in one native step the interrupt handler never sees: `"y".repeat(30e6)` ran ~150 ms
 * (twice: past the route deadline and the watchdog's grace, a kill that turned the plugin off),
 * and so do padStart/padEnd, normalize, the case mappings, escape/unescape and the URI codings of
 * a long string (built cheaply by concatenation). Each wrapper works
 * out the length it would produce (or read) before the native method runs and, over
 * MAX_BUILT_STRING_CHARS, throws a RangeError naming the limit: a fault of that call, not a kill.
 * Concatenation (`+`, concat) copies memory and stays native (8 M characters in ~5 ms).
 * replace/replaceAll check their size in prelude-strings.ts (through `fits`).
 * Evaluated inside the prelude (see prelude.ts), before any guest code, from captured intrinsics.
 */

/** Characters one native string builder may produce (~25 ms for repeat in the sandbox). */
export const MAX_BUILT_STRING_CHARS = 4 * 1024 * 1024

/**
 * normalize, escape, unescape and the URI codings run 4 to 10 times slower per character than
 * repeat (escape of 8 M characters: ~300 ms): the string they read is bounded lower.
 */
export const MAX_SLOW_READ_CHARS = MAX_BUILT_STRING_CHARS / 4

/**
 * A function expression `(fits) => void`; `fits(n, what)` throws a RangeError when n characters
 * are over MAX_BUILT_STRING_CHARS. No `$` + `{` in here.
 */
export const STRING_BUILD_GUARDS = String.raw`(function (fits) {
  "use strict";
  var SP = String.prototype, apply = Reflect.apply, define = Object.defineProperty, StringCtor = String;
  var TypeErrorCtor = TypeError, RangeErrorCtor = RangeError, trunc = Math.trunc, SLOW = ${MAX_SLOW_READ_CHARS}, G = globalThis;
  function self(x, name) {
    if (x === null || x === undefined) throw new TypeErrorCtor("String.prototype." + name + " called on null or undefined");
    if (typeof x === "symbol") throw new TypeErrorCtor("Cannot convert a Symbol value to a string");
    return StringCtor(x);
  }
  function toInt(v) { var n = +v; return n !== n ? 0 : trunc(n); }
  function wrap(name, check) {
    var orig = SP[name];
    if (typeof orig !== "function") return;
    var fn = function () {
      var s = self(this, name);
      return apply(orig, s, check(s, arguments, name));
    };
    define(fn, "name", { value: name });
    define(fn, "length", { value: orig.length });
    define(SP, name, { value: fn, writable: true, enumerable: false, configurable: true });
  }
  wrap("repeat", function (s, a) {
    var n = toInt(a[0]);
    // a count out of range, or Infinity: the native method throws its own RangeError
    if (n > 0 && n !== Infinity && s.length > 0) fits(s.length * n, "String.repeat");
    return [n];
  });
  function pad(s, a, name) {
    var n = toInt(a[0]);
    if (n <= s.length) return [n];
    if (a[1] === undefined) { fits(n, "String." + name); return [n]; }
    if (typeof a[1] === "symbol") throw new TypeErrorCtor("Cannot convert a Symbol value to a string");
    var fill = StringCtor(a[1]);
    if (fill.length > 0) fits(n, "String." + name);
    return [n, fill];
  }
  wrap("padStart", pad);
  wrap("padEnd", pad);
  function slow(s, what) {
    if (s.length > SLOW) throw new RangeErrorCtor(what + " of " + s.length + " characters refused by the sandbox (limit " + SLOW + ")");
  }
  wrap("normalize", function (s, a) { slow(s, "String.normalize"); return a; });
  // compares by collation, as slowly per character as normalize (4 M characters: ~400 ms)
  wrap("localeCompare", function (s, a) {
    if (typeof a[0] === "symbol") throw new TypeErrorCtor("Cannot convert a Symbol value to a string");
    var that = StringCtor(a[0]);
    slow(s, "String.localeCompare");
    slow(that, "String.localeCompare");
    return [that];
  });
  var codings = ["escape", "unescape", "encodeURI", "encodeURIComponent", "decodeURI", "decodeURIComponent"];
  for (var k = 0; k < codings.length; k++) (function (name) {
    var orig = G[name];
    if (typeof orig !== "function") return;
    var fn = function (x) {
      if (typeof x === "symbol") throw new TypeErrorCtor("Cannot convert a Symbol value to a string");
      var s = StringCtor(x);
      slow(s, name);
      return apply(orig, undefined, [s]);
    };
    define(fn, "name", { value: name });
    define(fn, "length", { value: 1 });
    define(G, name, { value: fn, writable: true, enumerable: false, configurable: true });
  })(codings[k]);
  var cases = ["toUpperCase", "toLowerCase", "toLocaleUpperCase", "toLocaleLowerCase"];
  for (var i = 0; i < cases.length; i++) wrap(cases[i], function (s, a) { fits(s.length, "a case mapping"); return a; });
})`
