/**
 * @module sandbox/prelude-builders
 * Guest-side bounds on the String.prototype methods that build or rewrite a string character by
 * character in one native step the interrupt handler never sees: `"y".repeat(30e6)` ran ~150 ms
 * (twice: past the route deadline and the watchdog's grace, a kill that turned the plugin off),
 * and so do padStart/padEnd, normalize, the case mappings, escape/unescape and the URI codings of
 * a long string (built cheaply by concatenation). Each wrapper works
 * out the length it would produce (or read) before the native method runs and, over
 * MAX_BUILT_STRING_CHARS, throws a RangeError naming the limit: a fault of that call, not a kill.
 * What one character becomes counts, not only how many there are: `"\uFDFA".normalize("NFKD")` is 18
 * characters, `"\u1F84"` decomposes to 4 and NFC composes them back, `"\u0390".toUpperCase()` is 3,
 * so half a million such characters ran natively for seconds under a guard that read only their
 * number. A case mapping is bounded by its worst result (3 characters each); normalize and
 * localeCompare of a long string work piece by piece (cut before an ASCII character, where no
 * form joins or reorders across the cut), checking the interrupt between pieces, and a piece
 * with no such cut is refused.
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
 * Characters normalize reads in one native step: its worst (NFKC of U+FDFA, 18 characters out
 * each, composed back) costs ~5 µs a character, so ~80 ms; ASCII text ~2 ms.
 */
export const NORMALIZE_PIECE_CHARS = 16 * 1024

/** Most characters a case mapping writes for one (U+0390 upper-cases to three). */
export const CASE_MAPPING_GROWTH = 3

/**
 * A function expression `(fits, poll) => void`; `fits(n, what)` throws a RangeError when n characters
 * are over MAX_BUILT_STRING_CHARS; `poll(since)` forces an interrupt check every few ms
 * (prelude-strings.ts). No `$` + `{` in here.
 */
export const STRING_BUILD_GUARDS = String.raw`(function (fits, poll) {
  "use strict";
  var SP = String.prototype, apply = Reflect.apply, define = Object.defineProperty, StringCtor = String;
  var TypeErrorCtor = TypeError, RangeErrorCtor = RangeError, trunc = Math.trunc, SLOW = ${MAX_SLOW_READ_CHARS}, G = globalThis;
  var PIECE = ${NORMALIZE_PIECE_CHARS}, GROWTH = ${CASE_MAPPING_GROWTH}, now = Date.now;
  var nNormalize = SP.normalize, nLocaleCompare = SP.localeCompare, nSlice = SP.slice, nCharCodeAt = SP.charCodeAt, nCodePointAt = SP.codePointAt;
  function code(s, i) { return apply(nCharCodeAt, s, [i]); }
  function self(x, name) {
    if (x === null || x === undefined) throw new TypeErrorCtor("String.prototype." + name + " called on null or undefined");
    if (typeof x === "symbol") throw new TypeErrorCtor("Cannot convert a Symbol value to a string");
    return StringCtor(x);
  }
  function toInt(v) { var n = +v; return n !== n ? 0 : trunc(n); }
  function install(name, fn, length) {
    define(fn, "name", { value: name });
    define(fn, "length", { value: length });
    define(SP, name, { value: fn, writable: true, enumerable: false, configurable: true });
  }
  function wrap(name, check) {
    var orig = SP[name];
    if (typeof orig !== "function") return;
    install(name, function () {
      var s = self(this, name);
      return apply(orig, s, check(s, arguments, name));
    }, orig.length);
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
  // s in the normalization form (a checked string): natively up to PIECE characters, else piece by
  // piece, each cut just before an ASCII character (it never joins or reorders with what precedes it)
  function normalized(s, form, what) {
    if (s.length <= PIECE) return apply(nNormalize, s, [form]);
    slow(s, what);
    var out = "", i = 0, n = s.length, since = now();
    while (i < n) {
      var end = i + PIECE;
      if (end >= n) end = n;
      else {
        while (end > i && code(s, end) > 0x7f) end--;
        if (end === i) throw new RangeErrorCtor(what + " of " + PIECE + " characters in a row none of which is ASCII, refused by the sandbox (each can be 18 characters normalized; limit " + PIECE + ")");
      }
      out += apply(nNormalize, apply(nSlice, s, [i, end]), [form]);
      fits(out.length, what);
      i = end;
      since = poll(since);
    }
    return out;
  }
  function form(f) {
    if (typeof f === "symbol") throw new TypeErrorCtor("Cannot convert a Symbol value to a string");
    var name = f === undefined ? "NFC" : StringCtor(f);
    apply(nNormalize, "", [name]); // an unknown form: the engine's own RangeError
    return name;
  }
  install("normalize", function () { return normalized(self(this, "normalize"), form(arguments[0]), "String.normalize"); }, 0);
  // as the engine compares: both strings in NFC, then code point by code point (their difference,
  // or -1/1 for a prefix); long ones normalized in pieces, compared window by window
  function compare(a, b) {
    if (a === b) return 0;
    var n = a.length < b.length ? a.length : b.length, i = 0;
    while (i < n && apply(nSlice, a, [i, i + PIECE]) === apply(nSlice, b, [i, i + PIECE])) i += PIECE;
    var e = i + PIECE < n ? i + PIECE : n;
    while (i < e && code(a, i) === code(b, i)) i++;
    if (i > n) i = n;
    // inside a surrogate pair: its code point counts
    if (i > 0 && (code(a, i - 1) & 0xfc00) === 0xd800 && ((code(a, i) & 0xfc00) === 0xdc00 || (code(b, i) & 0xfc00) === 0xdc00)) i--;
    if (i === n) return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
    return apply(nCodePointAt, a, [i]) - apply(nCodePointAt, b, [i]);
  }
  install("localeCompare", function (that) {
    var s = self(this, "localeCompare");
    if (typeof that === "symbol") throw new TypeErrorCtor("Cannot convert a Symbol value to a string");
    var t = StringCtor(that);
    if (s.length <= PIECE && t.length <= PIECE) return apply(nLocaleCompare, s, [t]);
    return compare(normalized(s, "NFC", "String.localeCompare"), normalized(t, "NFC", "String.localeCompare"));
  }, 1);
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
  for (var i = 0; i < cases.length; i++) wrap(cases[i], function (s, a) { fits(s.length * GROWTH, "a case mapping"); return a; });
})`
