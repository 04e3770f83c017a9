/**
 * @module sandbox/prelude-strings
 * Guest-side wrappers of the String.prototype searches that compare a needle at every position in
 * native code, where the interrupt handler is never reached: `"a".repeat(1e7).indexOf("a".repeat(1e5)
 * + "b")` compares for hours, on a thread that neither the deadline nor the watchdog can stop (a
 * killed worker spins on until that one call ends). Over MAX_SEARCH_WORK character comparisons in
 * the worst case, a search runs in windows of at most that work (milliseconds), forcing an
 * interrupt check between windows every few milliseconds: the same results, and a search past the
 * deadline stops there as any loop does.
 * replace and replaceAll with a string replacement also work out the length their replacements
 * would add (a "$`" or "$'" in one copies most of the string per match) and refuse it over
 * MAX_BUILT_STRING_CHARS before they start, as the builders of prelude-builders.ts do.
 * Evaluated inside the prelude (see prelude.ts), before any guest code, from captured intrinsics.
 */

import { MAX_BUILT_STRING_CHARS } from "./prelude-builders.ts"
import { LAZY_ITERATION_FROM } from "./prelude-expansions.ts"

/** Worst-case character comparisons (haystack positions × needle length) one native search may do. */
export const MAX_SEARCH_WORK = 1024 * 1024

/** Backward jumps that make QuickJS poll its interrupt handler at least once (it polls every 10 000). */
const POLL_SPIN = 10_001

/** Wall time between forced interrupt checks of one search (a check costs ~1 ms of spinning). */
const POLL_EVERY_MS = 5

/**
 * A function expression `(put, fits) => poll` (fits: see prelude-builders.ts; poll: forces an interrupt check every few ms) that replaces indexOf, lastIndexOf, includes, split, replace
 * and replaceAll of String.prototype. Patterns that are objects with their own Symbol.split or
 * Symbol.replace (RegExps: the regex engine checks the interrupt itself) are called as the
 * language says; only string searches are windowed. No template literal: no `$` + `{` in here.
 */
export const STRING_SEARCH_GUARDS = String.raw`(function (put, fits) {
  "use strict";
  var SP = String.prototype, apply = Reflect.apply, define = Object.defineProperty, StringCtor = String, TypeErrorCtor = TypeError;
  var trunc = Math.trunc, floor = Math.floor, WORK = ${MAX_SEARCH_WORK}, BUILT = ${MAX_BUILT_STRING_CHARS}, SPIN = ${POLL_SPIN}, POLL_MS = ${POLL_EVERY_MS}, LAZY = ${LAZY_ITERATION_FROM};
  var nIndexOf = SP.indexOf, nLastIndexOf = SP.lastIndexOf, nIncludes = SP.includes, nSplit = SP.split, nReplace = SP.replace, nReplaceAll = SP.replaceAll;
  var nSlice = SP.slice, nCharCodeAt = SP.charCodeAt;
  var symSplit = Symbol.split, symReplace = Symbol.replace, symMatch = Symbol.match;
  var reSource = Object.getOwnPropertyDescriptor(RegExp.prototype, "source").get;
  // a window costs milliseconds at most: a search that has run a few of them checks the interrupt
  // (a check costs ~1 ms of spinning, so a search done sooner never pays for one)
  var now = Date.now;
  function poll(since) {
    if (now() - since < POLL_MS) return since;
    for (var i = 0; i < SPIN; i++) {}
    return now();
  }
  function slice(s, a, b) { return apply(nSlice, s, b === undefined ? [a] : [a, b]); }
  function str(x) {
    if (typeof x === "symbol") throw new TypeErrorCtor("Cannot convert a Symbol value to a string");
    return StringCtor(x);
  }
  function self(x, name) {
    if (x === null || x === undefined) throw new TypeErrorCtor("String.prototype." + name + " called on null or undefined");
    return str(x);
  }
  function isObject(x) { return x !== null && (typeof x === "object" || typeof x === "function"); }
  function isRegExp(x) {
    if (!isObject(x)) return false;
    var m = x[symMatch];
    if (m !== undefined) return !!m;
    try { apply(reSource, x, []); return true; } catch (e) { return false; }
  }
  function toInt(v) { var n = +v; return n !== n ? 0 : trunc(n); }
  /** Worst-case work of a native search over the whole string. */
  function heavy(n, m) { return m > 0 && n >= m && (n - m + 1) * m > WORK; }
  function step(m) { return m >= WORK ? 1 : floor(WORK / m); }
  /** First match at or after from (0 ≤ from), window by window. */
  function findFrom(s, t, from) {
    var n = s.length, m = t.length, k = step(m), since = now();
    for (var p = from; p + m <= n; p += k) {
      var i = apply(nIndexOf, slice(s, p, p + k + m - 1), [t]);
      if (i >= 0) return p + i;
      since = poll(since);
    }
    return -1;
  }
  /** Last match starting at or before last. */
  function findLast(s, t, last) {
    var m = t.length, k = step(m), since = now();
    for (var q = last; q >= 0; q -= k) {
      var lo = q - k + 1 < 0 ? 0 : q - k + 1;
      var i = apply(nLastIndexOf, slice(s, lo, q + m), [t]);
      if (i >= 0) return lo + i;
      since = poll(since);
    }
    return -1;
  }
  /** GetSubstitution for a string pattern (no captures: $1 and $< stay as written). */
  function subst(matched, s, pos, tpl) {
    var out = "", i = 0, L = tpl.length;
    for (;;) {
      var j = apply(nIndexOf, tpl, ["$", i]);
      if (j < 0 || j + 1 >= L) return out + slice(tpl, i);
      out += slice(tpl, i, j);
      var d = apply(nCharCodeAt, tpl, [j + 1]);
      if (d === 36) out += "$";
      else if (d === 38) out += matched;
      else if (d === 96) out += slice(s, 0, pos);
      else if (d === 39) out += slice(s, pos + matched.length);
      else { out += "$"; i = j + 1; continue; }
      i = j + 2;
    }
  }
  /** Characters a template writes per match: literal ones, and how many $&, $\` and $' it holds (as subst reads it). */
  function cost(tpl) {
    var c = { lit: 0, amp: 0, pre: 0, post: 0 }, i = 0, L = tpl.length;
    for (;;) {
      var j = apply(nIndexOf, tpl, ["$", i]);
      if (j < 0 || j + 1 >= L) { c.lit += L - i; return c; }
      c.lit += j - i;
      var d = apply(nCharCodeAt, tpl, [j + 1]);
      if (d === 36) c.lit += 1;
      else if (d === 38) c.amp += 1;
      else if (d === 96) c.pre += 1;
      else if (d === 39) c.post += 1;
      else { c.lit += 1; i = j + 1; continue; }
      i = j + 2;
    }
  }
  /**
   * Refuse (fits) a string replacement of t in s by tpl (every match when all) whose replacements
   * would write over BUILT characters more than s has: the copies of s itself are memory copies.
   */
  function sized(s, t, tpl, all, name) {
    var n = s.length, m = t.length, c = cost(tpl), per = c.lit + c.amp * m - m;
    var most = all ? (m === 0 ? n + 1 : floor(n / m)) : 1;
    if (most * (per + m + (c.pre + c.post) * n) <= BUILT) return;
    var added = 0, big = heavy(n, m), p = big ? findFrom(s, t, 0) : apply(nIndexOf, s, [t]);
    while (p >= 0 && added <= BUILT) {
      added += per + c.pre * p + c.post * (n - p - m);
      if (!all) break;
      var from = p + (m === 0 ? 1 : m);
      p = from > n ? -1 : big ? findFrom(s, t, from) : apply(nIndexOf, s, [t, from]);
    }
    fits(added, "String." + name + "'s replacements");
  }
  function install(name, length, fn) {
    define(fn, "name", { value: name });
    define(fn, "length", { value: length });
    define(SP, name, { value: fn, writable: true, enumerable: false, configurable: true });
  }
  install("indexOf", 1, function (searchString, position) {
    var s = self(this, "indexOf"), t = str(searchString);
    if (!heavy(s.length, t.length)) return apply(nIndexOf, s, [t, position]);
    var p = toInt(position);
    return findFrom(s, t, p < 0 ? 0 : p);
  });
  install("includes", 1, function (searchString, position) {
    var s = self(this, "includes");
    if (isRegExp(searchString)) throw new TypeErrorCtor("First argument to String.prototype.includes must not be a regular expression");
    var t = str(searchString);
    if (!heavy(s.length, t.length)) return apply(nIncludes, s, [t, position]);
    var p = toInt(position);
    return findFrom(s, t, p < 0 ? 0 : p) >= 0;
  });
  install("lastIndexOf", 1, function (searchString, position) {
    var s = self(this, "lastIndexOf"), t = str(searchString), n = s.length, m = t.length;
    if (!heavy(n, m)) return apply(nLastIndexOf, s, [t, position]);
    var num = +position, p = num !== num ? n : trunc(num);
    if (p < 0) p = 0;
    if (p > n - m) p = n - m;
    return findLast(s, t, p);
  });
  install("split", 2, function (separator, limit) {
    if (isObject(separator)) {
      var splitter = separator[symSplit];
      if (splitter !== undefined && splitter !== null) return apply(splitter, separator, [this, limit]);
    }
    var s = self(this, "split"), lim = limit === undefined ? 4294967295 : limit >>> 0;
    if (separator === undefined) return apply(nSplit, s, [undefined, lim]);
    var r = str(separator), m = r.length, n = s.length;
    // more pieces than LAZY (one per character for ""): written one by one by a loop here, which
    // the deadline stops (natively, 4 M of them ran past the watchdog: prelude-expansions.ts)
    var many = lim > LAZY && (m === 0 ? n : floor(n / m) + 1) > LAZY;
    if (!heavy(n, m) && !many) return apply(nSplit, s, [r, lim]);
    var out = [], p = 0, q;
    if (lim === 0) return out;
    if (m === 0) {
      for (var i = 0; i < n && out.length < lim; i++) put(out, slice(s, i, i + 1));
      return out;
    }
    if (!heavy(n, m)) {
      while ((q = apply(nIndexOf, s, [r, p])) >= 0) {
        put(out, slice(s, p, q));
        if (out.length >= lim) return out;
        p = q + m;
      }
      put(out, slice(s, p));
      return out;
    }
    while ((q = findFrom(s, r, p)) >= 0) {
      put(out, slice(s, p, q));
      if (out.length >= lim) return out;
      p = q + m;
    }
    put(out, slice(s, p));
    return out;
  });
  install("replace", 2, function (searchValue, replaceValue) {
    if (isObject(searchValue)) {
      var replacer = searchValue[symReplace];
      if (replacer !== undefined && replacer !== null) return apply(replacer, searchValue, [this, replaceValue]);
    }
    var s = self(this, "replace"), t = str(searchValue), fn = typeof replaceValue === "function";
    if (!fn) { replaceValue = str(replaceValue); sized(s, t, replaceValue, false, "replace"); }
    if (!heavy(s.length, t.length)) return apply(nReplace, s, [t, replaceValue]);
    var pos = findFrom(s, t, 0);
    if (pos < 0) return s;
    var rep = fn ? str(apply(replaceValue, undefined, [t, pos, s])) : subst(t, s, pos, replaceValue);
    return slice(s, 0, pos) + rep + slice(s, pos + t.length);
  });
  install("replaceAll", 2, function (searchValue, replaceValue) {
    if (isObject(searchValue)) {
      if (isRegExp(searchValue)) {
        var flags = searchValue.flags;
        if (flags === undefined || flags === null || apply(nIndexOf, str(flags), ["g"]) < 0) {
          throw new TypeErrorCtor("replaceAll must be called with a global RegExp");
        }
      }
      var replacer = searchValue[symReplace];
      if (replacer !== undefined && replacer !== null) return apply(replacer, searchValue, [this, replaceValue]);
    }
    var s = self(this, "replaceAll"), t = str(searchValue), m = t.length, fn = typeof replaceValue === "function";
    if (!fn) { replaceValue = str(replaceValue); sized(s, t, replaceValue, true, "replaceAll"); }
    if (!heavy(s.length, m)) return apply(nReplaceAll, s, [t, replaceValue]);
    var at = [], p = findFrom(s, t, 0);
    while (p >= 0) { put(at, p); p = findFrom(s, t, p + m); }
    var out = "", end = 0;
    for (var i = 0; i < at.length; i++) {
      out += slice(s, end, at[i]) + (fn ? str(apply(replaceValue, undefined, [t, at[i], s])) : subst(t, s, at[i], replaceValue));
      end = at[i] + m;
    }
    return out + slice(s, end);
  });
  // the builders force interrupt checks with it too (prelude-builders.ts)
  return poll;
})`
