/**
 * @module sandbox/prelude-arraylike
 * Guest-side bounds on the native steps whose work is set by a length the guest can change between
 * the sandbox's check and the engine's own read, or that the check never read:
 *
 * - an Array.prototype method called on an array-like whose `length` is a getter, a Proxy, or an
 *   object whose valueOf answers differently each time: the guard (prelude.ts) read 0, the native
 *   loop then read 1e9 and ran for minutes (a watchdog kill that turned the hook off). Such a
 *   receiver is given to the native method as a stand-in holding the length the guard measured (its
 *   prototype is the receiver, so every element is read as before); the methods that write into
 *   the receiver refuse it instead;
 * - `concat` of a value made spreadable by `Symbol.isConcatSpreadable` (its length was never
 *   counted: `[].concat({ length: 3e7, [Symbol.isConcatSpreadable]: true })` was a kill): counted
 *   exactly, and run in guest code when a length or spreadable flag is a getter or a Proxy;
 * - `flat`, whose work is the nested arrays' lengths, not the outer one, which a Proxy of an array
 *   nested in it can make 1e9 (`[new Proxy([], { get: () => 1e9 })].flat()` was a kill): run in
 *   guest code, interruptible, once the module has made a Proxy of an array;
 * - `String.raw`, which loops over its template's `raw.length` (`String.raw({ raw: { length: 1e9 } })`):
 *   run in guest code.
 *
 * Proxies are recognised because the prelude replaces the `Proxy` constructor (before any guest code
 * runs) with one that records every proxy it makes; the guest has no other way to make one.
 * Evaluated inside the prelude (see prelude.ts), from captured intrinsics. No `$` + `{` in here.
 */

/**
 * A function expression `(put, isArray, taLength) => { unstable, stable, concat, flat }`:
 * `unstable(o)`: o's length could read differently at the next read; `concat(self, args, limit)` and
 * `flat(self, args, orig)`: guest-code versions.
 */
export const ARRAY_LIKE_GUARDS = String.raw`(function (put, isArray, taLength) {
  "use strict";
  var G = globalThis, apply = Reflect.apply, define = Object.defineProperty, gopd = Object.getOwnPropertyDescriptor;
  var getProto = Object.getPrototypeOf, ObjectCtor = Object, StringCtor = String, NumberCtor = Number, TypeErrorCtor = TypeError;
  var RangeErrorCtor = RangeError, trunc = Math.trunc, SPREAD = Symbol.isConcatSpreadable, MAX_SAFE = 9007199254740991;
  var WeakSetCtor = WeakSet, wsAdd = WeakSet.prototype.add, wsHas = WeakSet.prototype.has, proxies = new WeakSetCtor(), made = 0;
  var ProxyCtor = G.Proxy;
  if (typeof ProxyCtor === "function") {
    var revocable = ProxyCtor.revocable;
    var P = function Proxy(target, handler) {
      if (new.target === undefined) throw new TypeErrorCtor("Constructor Proxy requires 'new'");
      var p = new ProxyCtor(target, handler);
      apply(wsAdd, proxies, [p]);
      if (isArray(p)) made++;
      return p;
    };
    define(P, "revocable", { value: function revocable_(target, handler) {
      var r = apply(revocable, ProxyCtor, [target, handler]);
      apply(wsAdd, proxies, [r.proxy]);
      if (isArray(r.proxy)) made++;
      return r;
    }, writable: true, enumerable: false, configurable: true });
    define(P.revocable, "name", { value: "revocable" });
    define(P, "length", { value: 2 });
    define(G, "Proxy", { value: P, writable: true, enumerable: false, configurable: true });
  }
  function isObject(x) { return x !== null && (typeof x === "object" || typeof x === "function"); }
  // the property key read on o (its chain walked natively: no guest code runs unless a Proxy is on
  // it, and then the answer is "unstable" before it is asked) could answer differently next time
  function unstable(o, key) {
    // (an array that is no Proxy: its length is its own data, a number)
    if (key === "length" && isArray(o) && !apply(wsHas, proxies, [o])) return false;
    for (var p = o; isObject(p); p = getProto(p)) {
      if (apply(wsHas, proxies, [p])) return true;
      var d = gopd(p, key);
      if (d !== undefined) return "value" in d ? isObject(d.value) : d.get !== taLength;
    }
    return false;
  }
  function toLength(v) {
    var n = NumberCtor(v);
    if (n !== n || n <= 0) return 0;
    return n === Infinity ? MAX_SAFE : trunc(n) > MAX_SAFE ? MAX_SAFE : trunc(n);
  }
  function refused(name, n, limit) {
    return new RangeErrorCtor("Array." + name + " on length " + n + " refused by the sandbox (limit " + limit + ")");
  }
  function spreadable(e) {
    if (!isObject(e)) return false;
    var s = e[SPREAD];
    return s !== undefined ? !!s : isArray(e);
  }
  function toObject(x, what) {
    if (x === null || x === undefined) throw new TypeErrorCtor(what + " called on null or undefined");
    return ObjectCtor(x);
  }
  // concat: the exact length it would build, then the native method; in guest code when a length or
  // spreadable flag is a getter or a Proxy (read once each here, as the specification reads them)
  function concat(self, args, limit, orig) {
    var items = [toObject(self, "Array.prototype.concat")], i, shaky = false;
    for (i = 0; i < args.length; i++) put(items, args[i]);
    for (i = 0; i < items.length && !shaky; i++) shaky = isObject(items[i]) && (unstable(items[i], SPREAD) || unstable(items[i], "length"));
    if (!shaky) {
      var total = 0;
      for (i = 0; i < items.length; i++) total += spreadable(items[i]) ? toLength(items[i].length) : 1;
      if (total > limit) throw refused("concat", total, limit);
      return apply(orig, self, args);
    }
    var out = [], n = 0;
    for (i = 0; i < items.length; i++) {
      var e = items[i];
      if (spreadable(e)) {
        var len = toLength(e.length);
        if (n + len > limit) throw refused("concat", n + len, limit);
        for (var k = 0; k < len; k++, n++) if (k in e) define(out, n, { value: e[k], writable: true, enumerable: true, configurable: true });
      } else {
        if (n + 1 > limit) throw refused("concat", n + 1, limit);
        define(out, n++, { value: e, writable: true, enumerable: true, configurable: true });
      }
    }
    out.length = n;
    return out;
  }
  // flat: its work is the lengths of the arrays it descends into, which no check before it sees
  function flatInto(out, src, depth) {
    var len = toLength(src.length);
    for (var k = 0; k < len; k++) {
      if (!(k in src)) continue;
      var v = src[k];
      if (depth > 0 && isArray(v)) flatInto(out, v, depth - 1);
      else put(out, v);
    }
    return out;
  }
  // (natively, 15 times faster, while no Proxy of an array was made — flat descends only into
  // arrays, whose lengths are their own numbers; run_code's tools object is a Proxy of no array)
  function flat(self, args, orig) {
    if (made === 0) return apply(orig, self, args);
    var depth = args[0], o = toObject(self, "Array.prototype.flat"), d = depth === undefined ? 1 : NumberCtor(depth);
    d = d !== d ? 0 : d === Infinity ? Infinity : trunc(d);
    return flatInto([], o, d);
  }
  function text(x) {
    if (typeof x === "symbol") throw new TypeErrorCtor("Cannot convert a Symbol value to a string");
    return StringCtor(x);
  }
  // String.raw loops over its template's raw.length natively: in guest code instead
  var rawFn = function raw(template) {
    var cooked = toObject(template, "String.raw"), r = toObject(cooked.raw, "String.raw"), len = toLength(r.length);
    if (len === 0) return "";
    var s = "";
    for (var i = 0; ; i++) {
      s += text(r[i]);
      if (i + 1 === len) return s;
      if (i + 1 < arguments.length) s += text(arguments[i + 1]);
    }
  };
  define(rawFn, "length", { value: 1 });
  define(StringCtor, "raw", { value: rawFn, writable: true, enumerable: false, configurable: true });
  return { unstable: function (o) { return unstable(o, "length"); }, concat: concat, flat: flat };
})`
