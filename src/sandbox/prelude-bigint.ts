/**
 * @module sandbox/prelude-bigint
 * Guest-side bound on the BigInt step that is slow in one native call: writing a BigInt in decimal.
 * QuickJS works the digits out in time quadratic in the size and never polls its interrupt handler
 * meanwhile: `(10n ** 200000n).toString()` took 2.4 s, a BigInt at the engine's own size cap (about
 * 1 M bits, "BigInt is too large to allocate" past it) 4 s, so a hook doing it was killed by the
 * watchdog and turned off. BigInt.prototype.toString in a radix that is not a power of two, and
 * toLocaleString, of a BigInt over MAX_DECIMAL_BIGINT_BITS are refused before they start (a
 * RangeError naming the limit and the remedy: a fault of that call, not a kill); a power-of-two
 * radix is linear and stays free. A console line or a thrown value shows such a BigInt as a short
 * placeholder, never its digits.
 * `String(big)` and `BigInt()` of a decimal string over that many digits (parsing is as quadratic)
 * are refused the same way, through a Proxy of each constructor.
 * Not reachable from here: the implicit conversions (`${big}`, `big + ""`) and the
 * quadratic operators (`*`, `/`, `%` of two huge BigInts): the
 * engine's size cap bounds them (≈ 0.5–4 s on a busy 2-core machine), past the deadline the
 * watchdog kills them as any native step (docs/plugins.md, *Time*).
 * Evaluated inside the prelude (see prelude.ts), before any guest code, from captured intrinsics.
 */

/** Bits of a BigInt past which writing it in decimal is refused (≈ 19 729 digits, ~16 ms to write). */
export const MAX_DECIMAL_BIGINT_BITS = 65536

/** Decimal digits of the largest BigInt written (shown in the error). */
const MAX_DECIMAL_DIGITS = Math.floor(MAX_DECIMAL_BIGINT_BITS * Math.log10(2)) + 1

/**
 * A function expression `() => bigText` that replaces BigInt.prototype.toString and toLocaleString;
 * `bigText(x)` is how the prelude writes a BigInt in a console line or a thrown value (`123n`, or a
 * placeholder over the limit). No template literal: no `$` + `{` in here.
 */
export const BIGINT_GUARDS = String.raw`(function () {
  "use strict";
  var BP = BigInt.prototype, nToString = BP.toString, nToLocale = BP.toLocaleString, nValueOf = BP.valueOf;
  var apply = Reflect.apply, define = Object.defineProperty, trunc = Math.trunc, RangeErrorCtor = RangeError;
  var BITS = ${MAX_DECIMAL_BIGINT_BITS}, LIMIT = 1n << BigInt(BITS), NEG = -LIMIT;
  var linear = { 2: true, 4: true, 8: true, 16: true, 32: true };
  function huge(x) { return x >= LIMIT || x <= NEG; }
  function refused(what) {
    return new RangeErrorCtor(what + " of a BigInt over " + BITS + " bits (about ${MAX_DECIMAL_DIGITS} decimal digits) refused by the sandbox: its digits are worked out in one native step the deadline cannot interrupt; write it in a power-of-two radix (toString(16)) or keep the numbers smaller");
  }
  function put(name, fn) {
    define(fn, "name", { value: name });
    define(fn, "length", { value: 0 });
    define(BP, name, { value: fn, writable: true, enumerable: false, configurable: true });
  }
  put("toString", function () {
    var x = apply(nValueOf, this, []);
    // the radix is read once, here, as the native method reads it (a valueOf runs once)
    var r = arguments.length === 0 || arguments[0] === undefined ? 10 : trunc(+arguments[0]);
    if (linear[r] !== true && huge(x)) throw refused("BigInt.prototype.toString(" + r + ")");
    return apply(nToString, x, [r]);
  });
  put("toLocaleString", function () {
    var x = apply(nValueOf, this, []);
    if (huge(x)) throw refused("BigInt.prototype.toLocaleString");
    return apply(nToLocale, x, arguments);
  });
  // String(big) and BigInt(decimal text) are the same quadratic step reached by a call, not by an
  // operator: the global is a Proxy of the constructor that checks first (statics, new, prototype
  // and instanceof are the constructor's own; each prototype's constructor points at the Proxy)
  var G = globalThis, ProxyCtor = Proxy, charAt = String.prototype.charCodeAt, trim = String.prototype.trim;
  var DIGITS = ${MAX_DECIMAL_DIGITS};
  function checked(name, check) {
    var ctor = G[name];
    var p = new ProxyCtor(ctor, { apply: function (t, self, args) { check(args); return apply(t, self, args); } });
    define(ctor.prototype, "constructor", { value: p, writable: true, enumerable: false, configurable: true });
    define(G, name, { value: p, writable: true, enumerable: false, configurable: true });
  }
  checked("String", function (args) {
    if (args.length > 0 && typeof args[0] === "bigint" && huge(args[0])) throw refused("String()");
  });
  checked("BigInt", function (args) {
    var s = args[0];
    if (typeof s !== "string" || s.length <= DIGITS + 1) return;
    var t = apply(trim, s, []), c1 = apply(charAt, t, [1]) | 32;
    // 0x, 0o, 0b: a power-of-two radix is read in linear time
    if (apply(charAt, t, [0]) === 48 && (c1 === 120 || c1 === 111 || c1 === 98)) return;
    if (t.length > DIGITS + 1) throw new RangeErrorCtor("BigInt() of a decimal string of " + t.length + " characters (over ${MAX_DECIMAL_DIGITS} digits) refused by the sandbox: its value is worked out in one native step the deadline cannot interrupt; pass it in hexadecimal (\"0x…\") or keep the numbers smaller");
  });
  return function bigText(x) {
    return huge(x) ? "[a BigInt over " + BITS + " bits, not written in decimal]" : apply(nToString, x, []) + "n";
  };
})`
