/**
 * @module sandbox/prelude-compile
 * Guest-side wrappers of every way guest code compiles source at run time: `eval`, `Function`,
 * and the async, generator and async generator function constructors (reached through
 * `(async function () {}).constructor` and the like). QuickJS compiles in time quadratic in the
 * names of one function, in one native step the interrupt handler never sees (compile-budget.ts):
 * each wrapper refuses source over MAX_EVAL_SOURCE_CHARS, then asks the host (`check`, the worker's
 * compileBudgetError) before the engine compiles it, and throws a RangeError naming the limit.
 * `eval` becomes an indirect eval (the source runs in the global scope, not the caller's).
 * Dynamic `import()` needs a module loader, and the runtime has none (capped.ts).
 * Evaluated inside the prelude (see prelude.ts), before any guest code, from captured intrinsics.
 */
import type { QuickJSContext, QuickJSHandle } from "quickjs-emscripten-core"
import { compileBudgetError, MAX_EVAL_SOURCE_CHARS } from "./compile-budget.ts"

/** A function expression `(check) => void`; `check(source)` returns "" or why it is refused. No `$` + `{` in here. */
export const COMPILE_GUARDS = String.raw`(function (check) {
  "use strict";
  var apply = Reflect.apply, construct = Reflect.construct, define = Object.defineProperty, getProto = Object.getPrototypeOf;
  var StringCtor = String, RangeErrorCtor = RangeError, MAX = ${MAX_EVAL_SOURCE_CHARS}, G = globalThis;
  function refuse(src, what) {
    if (src.length > MAX) throw new RangeErrorCtor(what + " source of " + src.length + " characters refused by the sandbox (limit " + MAX + ")");
    var why = check(src, what);
    if (why) throw new RangeErrorCtor(why);
  }
  var nativeEval = G.eval;
  var guardedEval = function (x) {
    if (typeof x !== "string") return x;
    refuse(x, "eval");
    return apply(nativeEval, undefined, [x]);
  };
  define(guardedEval, "name", { value: "eval" });
  define(G, "eval", { value: guardedEval, writable: true, enumerable: false, configurable: true });
  function guardCtor(C) {
    var W = function () {
      var src = "";
      for (var i = 0; i < arguments.length; i++) src += (i ? "," : "") + StringCtor(arguments[i]);
      refuse(src, C.name);
      return construct(C, arguments, new.target === undefined || new.target === W ? C : new.target);
    };
    define(W, "name", { value: C.name });
    define(W, "length", { value: 1 });
    define(W, "prototype", { value: C.prototype, writable: false, enumerable: false, configurable: false });
    define(C.prototype, "constructor", { value: W, writable: true, enumerable: false, configurable: true });
    return W;
  }
  define(G, "Function", { value: guardCtor(Function), writable: true, enumerable: false, configurable: true });
  guardCtor(getProto(async function () {}).constructor);
  guardCtor(getProto(function* () {}).constructor);
  guardCtor(getProto(async function* () {}).constructor);
})`

/** The host side of COMPILE_GUARDS' `check`, for a context of the worker (dispose the handle after the prelude's call). */
export function newCompileCheck(ctx: QuickJSContext): QuickJSHandle {
  return ctx.newFunction("compileCheck", (srcH, whatH) => {
    const why = compileBudgetError(ctx.getString(srcH), `${ctx.getString(whatH)} source`)
    return ctx.newString(why ? why.message : "")
  })
}
