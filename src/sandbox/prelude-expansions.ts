/**
 * @module sandbox/prelude-expansions
 * Guest-side bounds on the native steps that expand one value into one element per character,
 * index or key, in a loop the interrupt handler never sees: `[..."y".repeat(4e6)]`,
 * `Array.from(s)`, `s.split("")`, `[...new Uint8Array(3e7)]`, `[...Array(1e8).keys()]`,
 * `Array.from({ length: 4e6 })`, `Object.keys(s)` each ran past the deadline and the watchdog's
 * grace in one step (a kill that turned the plugin off). Their cost is the size of the input, which
 * the deadline never sees:
 * - the iterators of strings, arrays and typed arrays over LAZY_ITERATION_FROM elements are
 *   iterators written in guest code (the same values): spread, Array.from, for-of, new Set(…) call
 *   their `next`, and a call checks the interrupt, so the deadline stops them as any loop;
 * - Array.from of an array-like that long, and a string split into more pieces than that, are
 *   built by a loop in guest code (the same result);
 * - Object.keys, values, entries, getOwnPropertyNames, getOwnPropertyDescriptors and
 *   Reflect.ownKeys of a string, array or typed array over MAX_KEYED_LENGTH elements are refused
 *   before they start (a RangeError naming the limit: a fault of that call, not a kill).
 * Evaluated inside the prelude (see prelude.ts), before any guest code, from captured intrinsics.
 */

/**
 * Elements past which an iterator, Array.from or split runs in guest code (interruptible). A guest
 * step costs several µs and more as the heap grows (a for-of over 250 K elements: 0.4 s natively,
 * 10 s at a 64 Ki threshold), and every consumer pays it, for-of loops too, which the deadline
 * already stops; at 1 Mi an ordinary plugin or run_code script never meets it, while the hostile
 * expansions (4 M characters, 1e8 keys) still do. Between the two a native expansion can outlast the
 * deadline and its grace: a watchdog kill, contained (that plugin, until its file changes).
 */
export const LAZY_ITERATION_FROM = 1024 * 1024

/** Length of a string, array or typed array past which listing its keys in one native step is refused. */
export const MAX_KEYED_LENGTH = 256 * 1024

/** Elements of a typed array its sort and toSorted may order in one native step (3 M took ~1 s). */
export const MAX_TYPED_SORT_LENGTH = 1024 * 1024

/**
 * Also the typed arrays' join and toLocaleString (a string of at least one character per element
 * and the separators: bounded as prelude-builders' `fits` bounds a built string) and their sort and
 * toSorted (over MAX_TYPED_SORT_LENGTH), each read with the length getter, never an own `length`.
 * A function expression `(put, fits) => void` (put: appends to an array without Array.prototype.push).
 * No `$` + `{` in here.
 */
export const EXPANSION_GUARDS = String.raw`(function (put, fits) {
  "use strict";
  var apply = Reflect.apply, define = Object.defineProperty, StringCtor = String, ObjectCtor = Object, isArray = Array.isArray;
  var TypeErrorCtor = TypeError, RangeErrorCtor = RangeError, LAZY = ${LAZY_ITERATION_FROM}, KEYED = ${MAX_KEYED_LENGTH};
  var SP = String.prototype, AP = Array.prototype, G = globalThis, symIterator = Symbol.iterator;
  var getProto = Object.getPrototypeOf, gopd = Object.getOwnPropertyDescriptor;
  var TAP = getProto(Uint8Array.prototype), taLength = gopd(TAP, "length").get;
  var charCodeAt = SP.charCodeAt, strSlice = SP.slice;
  function install(obj, name, fn, like) {
    define(fn, "name", { value: typeof name === "symbol" ? "[Symbol.iterator]" : name });
    define(fn, "length", { value: like.length });
    define(obj, name, { value: fn, writable: true, enumerable: false, configurable: true });
  }
  function typedLength(x) { try { return apply(taLength, x, []); } catch (e) { return -1; } }
  function lengthOf(o) { var n = +o.length; return n !== n || n < 0 ? 0 : n; }
  /** An iterator in guest code: step(i) gives the result of the i-th call or undefined when done. */
  function lazy(step) {
    var i = 0, done = false, it = {};
    define(it, "next", { value: function next() {
      if (done) return { value: undefined, done: true };
      var r = step(i++);
      if (r === undefined) { done = true; return { value: undefined, done: true }; }
      return r;
    }, writable: true, configurable: true });
    define(it, symIterator, { value: function () { return this; }, writable: true, configurable: true });
    return it;
  }
  // strings: by code point
  var nStringIter = SP[symIterator];
  install(SP, symIterator, function () {
    if (this === null || this === undefined) throw new TypeErrorCtor("String.prototype[Symbol.iterator] called on null or undefined");
    var s = StringCtor(this);
    if (s.length <= LAZY) return apply(nStringIter, s, []);
    var at = 0;
    return lazy(function () {
      if (at >= s.length) return undefined;
      var c = apply(charCodeAt, s, [at]), w = 1;
      if (c >= 0xd800 && c <= 0xdbff && at + 1 < s.length) {
        var d = apply(charCodeAt, s, [at + 1]);
        if (d >= 0xdc00 && d <= 0xdfff) w = 2;
      }
      var v = apply(strSlice, s, [at, at + w]);
      at += w;
      return { value: v, done: false };
    });
  }, nStringIter);
  // arrays and typed arrays: values, keys, entries (the length read at each step, as the language does)
  function iterators(proto, len) {
    var nValues = proto.values, nKeys = proto.keys, nEntries = proto.entries;
    function wrap(orig, kind) {
      return function () {
        if (this === null || this === undefined) return apply(orig, this, []);
        var o = ObjectCtor(this), n = len(o);
        if (n <= LAZY) return apply(orig, this, []);
        return lazy(function (i) {
          if (i >= len(o)) return undefined;
          if (kind === 0) return { value: o[i], done: false };
          if (kind === 1) return { value: i, done: false };
          var e = []; put(e, i); put(e, o[i]);
          return { value: e, done: false };
        });
      };
    }
    var values = wrap(nValues, 0);
    install(proto, "values", values, nValues);
    install(proto, "keys", wrap(nKeys, 1), nKeys);
    install(proto, "entries", wrap(nEntries, 2), nEntries);
    define(proto, symIterator, { value: values, writable: true, enumerable: false, configurable: true });
  }
  iterators(AP, function (o) { return lengthOf(o); });
  // not a typed array: -1, so the native method is called and throws its own TypeError
  iterators(TAP, function (o) { return typedLength(o); });
  // typed arrays' native loops whose cost is their length
  var SORTED = ${MAX_TYPED_SORT_LENGTH};
  function typedGuard(name, check) {
    var orig = TAP[name];
    if (typeof orig !== "function") return;
    install(TAP, name, function () {
      var n = typedLength(this);
      if (n > 0) check(n, arguments);
      return apply(orig, this, arguments);
    }, orig);
  }
  function joined(name) {
    return function (n, a) {
      var sep = name === "join" && a[0] !== undefined ? StringCtor(a[0]).length : 1;
      fits(n + (n - 1) * sep, "TypedArray." + name);
    };
  }
  typedGuard("join", joined("join"));
  typedGuard("toLocaleString", joined("toLocaleString"));
  function sorted(name) {
    return function (n) {
      if (n > SORTED) throw new RangeErrorCtor("TypedArray." + name + " on length " + n + " refused by the sandbox (limit " + SORTED + ")");
    };
  }
  typedGuard("sort", sorted("sort"));
  typedGuard("toSorted", sorted("toSorted"));
  // Array.from of a long array-like (no iterator): the spec's loop, in guest code
  var nFrom = Array.from, ArrayCtor = Array;
  install(ArrayCtor, "from", function from(items, mapFn, thisArg) {
    var iter = this === ArrayCtor && items !== null && items !== undefined ? items[symIterator] : 0;
    // a long string: the engine's Array.from reads it without its iterator, in one native step
    if (typeof items === "string" && items.length > LAZY && typeof iter === "function") {
      if (mapFn !== undefined && typeof mapFn !== "function") throw new TypeErrorCtor("Array.from: the map function is not a function");
      var it = apply(iter, items, []), list = [], r;
      for (var k = 0; !(r = it.next()).done; k++) put(list, mapFn === undefined ? r.value : apply(mapFn, thisArg, [r.value, k]));
      return list;
    }
    if (iter === undefined || iter === null) {
      var o = ObjectCtor(items), n = lengthOf(o);
      if (n > LAZY) {
        if (mapFn !== undefined && typeof mapFn !== "function") throw new TypeErrorCtor("Array.from: the map function is not a function");
        var out = [];
        for (var i = 0; i < n; i++) put(out, mapFn === undefined ? o[i] : apply(mapFn, thisArg, [o[i], i]));
        return out;
      }
    }
    return apply(nFrom, this, arguments);
  }, nFrom);
  // listing the keys of a long string, array or typed array: refused
  function keyed(name, obj, prop) {
    var orig = obj[prop];
    if (typeof orig !== "function") return;
    install(obj, prop, function (o) {
      var n = typeof o === "string" ? o.length : isArray(o) ? lengthOf(o) : o !== null && typeof o === "object" ? typedLength(o) : -1;
      if (n < 0 && o !== null && typeof o === "object" && typeof o.length === "number" && getProto(o) === SP) n = o.length;
      if (n > KEYED) throw new RangeErrorCtor(name + " of " + n + " elements refused by the sandbox (limit " + KEYED + ")");
      return apply(orig, this, arguments);
    }, orig);
  }
  keyed("Object.keys", ObjectCtor, "keys");
  keyed("Object.values", ObjectCtor, "values");
  keyed("Object.entries", ObjectCtor, "entries");
  keyed("Object.getOwnPropertyNames", ObjectCtor, "getOwnPropertyNames");
  keyed("Object.getOwnPropertyDescriptors", ObjectCtor, "getOwnPropertyDescriptors");
  keyed("Reflect.ownKeys", Reflect, "ownKeys");
})`
