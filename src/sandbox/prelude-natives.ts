/**
 * @module sandbox/prelude-natives
 * Guest-side bounds on two more families of native loops whose cost is the size of an input the
 * deadline never sees (each ran past the watchdog's grace in one step: a kill that turned the
 * plugin off):
 * - a global RegExp's match, matchAll, replace and a RegExp's split over a long string run one
 *   native iteration per match (`"y".repeat(4e6).replace(/y/g, "z")`, `.split(/(?:)/)`,
 *   `[...s.matchAll(/y/g)]`, a function replacer called from that loop; the engine's split even
 *   tries a match at every position): over LAZY_ITERATION_FROM characters, a plain RegExp's are
 *   loops in guest code here, one native `exec` per match (the regex engine checks the interrupt
 *   itself), the same results, stopped at the deadline as any loop is;
 * - typed arrays' element-by-element copies and scans: built from an array, array-like, iterable
 *   or other typed array (`new Uint8Array(new Array(1e6).fill(1))`, `Uint8Array.from({ length:
 *   3e7 })`), `set` of a large source, and reverse, toReversed, slice, with, fill, indexOf,
 *   lastIndexOf, includes of a long one are refused over MAX_TYPED_LOOP_LENGTH elements (a source
 *   that is not a typed array over MAX_ARRAY_LENGTH: each element is a property read).
 * Deliberately left unbounded: Array.prototype.sort with the default comparator on up to
 * MAX_ARRAY_LENGTH elements (0.6–2.8 s in one native step). It is the one native step the
 * watchdog tests hold on purpose (test/fixtures/plugins/slow-sort.js, spin-on-cue.js), and the
 * watchdog stops it (a kill of that hook).
 * Evaluated inside the prelude (see prelude.ts), before any guest code, from captured intrinsics.
 */

import { LAZY_ITERATION_FROM } from "./prelude-expansions.ts"

/** Elements of a typed array one native copy or scan may cover (a 30 M-element reverse ran ~0.5 s). */
export const MAX_TYPED_LOOP_LENGTH = 4 * 1024 * 1024

/**
 * A function expression `(put, maxArray, poll) => void` (put: appends without Array.prototype.push;
 * maxArray: MAX_ARRAY_LENGTH, prelude.ts; poll: prelude-strings.ts). Each loop here forces an
 * interrupt check every few milliseconds: one `exec` on a long string costs ~10 µs, and QuickJS
 * polls only every 10 000 backward jumps, so a loop of them alone was past the watchdog's grace. No `$` + `{` in here.
 */
export const NATIVE_LOOP_GUARDS = String.raw`(function (put, maxArray, poll) {
  "use strict";
  var apply = Reflect.apply, construct = Reflect.construct, define = Object.defineProperty, StringCtor = String;
  var RangeErrorCtor = RangeError, RegExpCtor = RegExp, RP = RegExp.prototype, LAZY = ${LAZY_ITERATION_FROM};
  var gopd = Object.getOwnPropertyDescriptor, getProto = Object.getPrototypeOf, setProto = Object.setPrototypeOf;
  var sourceOf = gopd(RP, "source").get, nExec = RP.exec, nIndexOf = String.prototype.indexOf, nSlice = String.prototype.slice;
  var nCharCodeAt = String.prototype.charCodeAt, trunc = Math.trunc, now = Date.now, ObjectCtor = Object, symIterator = Symbol.iterator;
  function isObject(x) { return x !== null && (typeof x === "object" || typeof x === "function"); }
  function install(obj, name, fn, like) {
    define(fn, "name", { value: typeof name === "symbol" ? "[" + name.description + "]" : name });
    define(fn, "length", { value: like.length });
    define(obj, name, { value: fn, writable: true, enumerable: false, configurable: true });
  }
  function branded(x) { try { apply(sourceOf, x, []); return true; } catch (e) { return false; } }
  function slice(s, a, b) { return apply(nSlice, s, b === undefined ? [a] : [a, b]); }
  function has(flags, f) { return apply(nIndexOf, flags, [f]) >= 0; }
  function toLength(v) { var n = trunc(+v); return n !== n || n < 0 ? 0 : n; }
  /** The index after q (a surrogate pair is one step in a unicode RegExp). */
  function advance(s, q, unicode) {
    if (!unicode || q + 1 >= s.length) return q + 1;
    var c = apply(nCharCodeAt, s, [q]), d = apply(nCharCodeAt, s, [q + 1]);
    return c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff ? q + 2 : q + 1;
  }
  /** Every match of a global rx in s, by a loop here (one native exec per match, interruptible). */
  function all(rx, s, unicode) {
    var out = [], r, since = now();
    rx.lastIndex = 0;
    while ((r = apply(nExec, rx, [s])) !== null) {
      since = poll(since);
      put(out, r);
      if (StringCtor(r[0]) === "") rx.lastIndex = advance(s, toLength(rx.lastIndex), unicode);
    }
    return out;
  }
  /** GetSubstitution with captures and named groups. */
  function subst(matched, s, pos, caps, groups, tpl) {
    var out = "", i = 0, L = tpl.length, m = caps.length;
    for (;;) {
      var j = apply(nIndexOf, tpl, ["$", i]);
      if (j < 0 || j + 1 >= L) return out + slice(tpl, i);
      out += slice(tpl, i, j);
      var d = apply(nCharCodeAt, tpl, [j + 1]);
      i = j + 2;
      if (d === 36) out += "$";
      else if (d === 38) out += matched;
      else if (d === 96) out += slice(s, 0, pos);
      else if (d === 39) out += slice(s, pos + matched.length);
      else if (d >= 48 && d <= 57) {
        var one = d - 48, e = j + 2 < L ? apply(nCharCodeAt, tpl, [j + 2]) : -1, two = e >= 48 && e <= 57 ? one * 10 + e - 48 : 0;
        if (two >= 1 && two <= m) { out += caps[two - 1] === undefined ? "" : caps[two - 1]; i = j + 3; }
        else if (one >= 1 && one <= m) out += caps[one - 1] === undefined ? "" : caps[one - 1];
        else { out += "$"; i = j + 1; }
      } else if (d === 60 && groups !== undefined) {
        var close = apply(nIndexOf, tpl, [">", j + 2]);
        if (close < 0) { out += "$<"; continue; }
        var v = groups[slice(tpl, j + 2, close)];
        if (v !== undefined) out += StringCtor(v);
        i = close + 1;
      } else { out += "$"; i = j + 1; }
    }
  }
  /** A plain RegExp (the engine's exec, constructor and prototype) over a long string: the loops here apply. */
  function plainLong(rx, s) {
    return s.length > LAZY && branded(rx) && getProto(rx) === RP && rx.exec === nExec && rx.constructor === RegExpCtor;
  }
  function unsticky(flags) {
    var out = "";
    for (var i = 0; i < flags.length; i++) if (flags[i] !== "y") out += flags[i];
    return out;
  }
  function flagsOf(rx) { return StringCtor(rx.flags); }
  function regexGuard(sym, fn) {
    var orig = RP[sym];
    if (typeof orig !== "function") return;
    install(RP, sym, function (string) {
      if (!isObject(this)) return apply(orig, this, arguments);
      var s = StringCtor(string);
      if (!plainLong(this, s)) return apply(orig, this, arguments);
      var r = fn(this, s, arguments);
      return r === NATIVE ? apply(orig, this, [s, arguments[1]]) : r;
    }, orig);
  }
  var NATIVE = {};
  regexGuard(Symbol.match, function (rx, s) {
    var flags = flagsOf(rx);
    if (!has(flags, "g")) return NATIVE;
    var found = all(rx, s, has(flags, "u") || has(flags, "v")), out = [];
    for (var i = 0; i < found.length; i++) put(out, StringCtor(found[i][0]));
    return out.length === 0 ? null : out;
  });
  regexGuard(Symbol.matchAll, function (rx, s) {
    var flags = flagsOf(rx), matcher = new RegExpCtor(rx, flags), global = has(flags, "g"), unicode = has(flags, "u") || has(flags, "v"), done = false, it = {}, since = now();
    matcher.lastIndex = toLength(rx.lastIndex);
    define(it, "next", { value: function next() {
      if (done) return { value: undefined, done: true };
      since = poll(since);
      var r = apply(nExec, matcher, [s]);
      if (r === null) { done = true; return { value: undefined, done: true }; }
      if (!global) done = true;
      else if (StringCtor(r[0]) === "") matcher.lastIndex = advance(s, toLength(matcher.lastIndex), unicode);
      return { value: r, done: false };
    }, writable: true, configurable: true });
    define(it, symIterator, { value: function () { return this; }, writable: true, configurable: true });
    return it;
  });
  regexGuard(Symbol.replace, function (rx, s, a) {
    var flags = flagsOf(rx), rep = a[1], fn = typeof rep === "function";
    if (!has(flags, "g")) return NATIVE;
    if (!fn) rep = StringCtor(rep);
    var found = all(rx, s, has(flags, "u") || has(flags, "v")), out = "", next = 0, since = now();
    for (var i = 0; i < found.length; i++) {
      since = poll(since);
      var r = found[i], matched = StringCtor(r[0]), pos = toLength(r.index), caps = [], groups = r.groups;
      if (pos > s.length) pos = s.length;
      for (var n = 1; n < r.length; n++) put(caps, r[n] === undefined ? undefined : StringCtor(r[n]));
      var text;
      if (fn) {
        var args = [matched];
        for (var c = 0; c < caps.length; c++) put(args, caps[c]);
        put(args, pos); put(args, s);
        if (groups !== undefined) put(args, groups);
        text = StringCtor(apply(rep, undefined, args));
      } else text = subst(matched, s, pos, caps, groups === undefined ? undefined : ObjectCtor(groups), rep);
      if (pos >= next) { out += slice(s, next, pos) + text; next = pos + matched.length; }
    }
    return next >= s.length ? out : out + slice(s, next);
  });
  // the engine's split tries a match at every position (~2 µs each: 200 K characters ran ~0.4 s);
  // this one searches for the next match, which is the same match
  regexGuard(Symbol.split, function (rx, s, a) {
    var flags = flagsOf(rx), lim = a[1] === undefined ? 4294967295 : a[1] >>> 0, unicode = has(flags, "u") || has(flags, "v");
    var c = new RegExpCtor(rx, unsticky(has(flags, "g") ? flags : flags + "g")), out = [], size = s.length, p = 0, q = 0, z;
    if (lim === 0) return out;
    var since = now();
    while (q < size) {
      since = poll(since);
      c.lastIndex = q;
      if ((z = apply(nExec, c, [s])) === null) break;
      var at = z.index, e = toLength(c.lastIndex);
      if (at >= size) break;
      if (e > size) e = size;
      if (e === p) { q = advance(s, at, unicode); continue; }
      put(out, slice(s, p, at));
      if (out.length === lim) return out;
      p = e;
      for (var i = 1; i < z.length; i++) { put(out, z[i]); if (out.length === lim) return out; }
      q = p === at ? advance(s, at, unicode) : p;
    }
    put(out, slice(s, p));
    return out;
  });

  // typed arrays
  var TA = getProto(Uint8Array), TAP = TA.prototype, taLength = gopd(TAP, "length").get, LOOP = ${MAX_TYPED_LOOP_LENGTH};
  var abLength = gopd(ArrayBuffer.prototype, "byteLength").get;
  var sabLength = typeof SharedArrayBuffer === "function" ? gopd(SharedArrayBuffer.prototype, "byteLength").get : null;
  var setSize = gopd(Set.prototype, "size").get, mapSize = gopd(Map.prototype, "size").get;
  function typedLength(x) { try { return apply(taLength, x, []); } catch (e) { return -1; } }
  function tried(getter, x) { if (getter === null) return -1; try { return apply(getter, x, []); } catch (e) { return -1; } }
  function refuse(what, n, limit) {
    throw new RangeErrorCtor(what + " of " + n + " elements refused by the sandbox (limit " + limit + ")");
  }
  /** A source copied element by element: a typed array up to LOOP, anything else up to maxArray. */
  function source(x, what) {
    if (x === null || (typeof x !== "object" && typeof x !== "function")) return;
    var t = typedLength(x);
    if (t >= 0) { if (t > LOOP) refuse(what, t, LOOP); return; }
    if (tried(abLength, x) >= 0 || tried(sabLength, x) >= 0) return;
    var n = tried(setSize, x);
    if (n < 0) n = tried(mapSize, x);
    if (n < 0) { n = +x.length; if (n !== n) n = 0; }
    if (n > maxArray) refuse(what, n, maxArray);
  }
  function guardThis(name) {
    var orig = TAP[name];
    if (typeof orig !== "function") return;
    install(TAP, name, function () {
      var n = typedLength(this);
      if (n > LOOP) refuse("TypedArray." + name, n, LOOP);
      return apply(orig, this, arguments);
    }, orig);
  }
  var scans = ["reverse", "toReversed", "slice", "with", "fill", "indexOf", "lastIndexOf", "includes"];
  for (var i = 0; i < scans.length; i++) guardThis(scans[i]);
  var nSet = TAP.set;
  install(TAP, "set", function (src) { source(src, "TypedArray.set"); return apply(nSet, this, arguments); }, nSet);
  var nFrom = TA.from;
  install(TA, "from", function (src) { source(src, "TypedArray.from"); return apply(nFrom, this, arguments); }, nFrom);
  // the constructors: a wrapper per kind that checks its source, then constructs the engine's own
  // (new.target passed on, so a subclass and instanceof behave as before)
  var kinds = ["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array", "Float16Array"];
  for (var k = 0; k < kinds.length; k++) (function (name) {
    var Orig = globalThis[name];
    if (typeof Orig !== "function") return;
    var W = function (a) {
      if (new.target === undefined) return apply(Orig, undefined, arguments);
      source(a, name);
      return construct(Orig, arguments, new.target === W ? Orig : new.target);
    };
    define(W, "name", { value: name });
    define(W, "length", { value: 3 });
    define(W, "prototype", { value: Orig.prototype, writable: false, enumerable: false, configurable: false });
    define(W, "BYTES_PER_ELEMENT", { value: Orig.BYTES_PER_ELEMENT, writable: false, enumerable: false, configurable: false });
    setProto(W, TA);
    define(Orig.prototype, "constructor", { value: W, writable: true, enumerable: false, configurable: true });
    define(globalThis, name, { value: W, writable: true, enumerable: false, configurable: true });
  })(kinds[k]);
})`
