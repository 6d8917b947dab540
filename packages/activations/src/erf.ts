// The error function in double precision. The rational approximations and their coefficients are those of
// Sun's fdlibm (s_erf.c), whose notice reads:
//   Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//   Developed at SunPro, a Sun Microsystems, Inc. business.
//   Permission to use, copy, modify, and distribute this software is freely granted, provided that this
//   notice is preserved.
// The code around them is written for this package; the error stays below 1 ulp or so (checked in erf.test.ts).

/** 2 / sqrt(pi), the slope of erf at 0. */
const TWO_OVER_SQRT_PI = 1.1283791670955126;
/**
 * The coefficients of fdlibm's erf/erfc (s_erf.c): ERX, and the numerators (PP, PA, RA, RB) and denominators (QQ,
 * QA, SA, SB) of the rational approximations on |x| < 0.84375, [0.84375, 1.25), [1.25, 1/0.35) and [1/0.35, 28).
 * Exported so that code which rebuilds erf elsewhere (an ONNX graph, a standalone module) uses the same numbers
 * and gives the same bits.
 *
 * @example
 * ```ts
 * import { ERF_COEFFICIENTS } from '@deltaflow/activations';
 * ERF_COEFFICIENTS.PP.length; // → 5
 * ```
 * @category Functions
 */
export const ERF_COEFFICIENTS = Object.freeze({
  /** erf(1) rounded to 24 bits; erf on [0.84375, 1.25] is this plus a small correction. */
  ERX: 8.45062911510467529297e-1,

  // erf(x) = x + x * P(x^2) / Q(x^2) on |x| < 0.84375
  PP: [
    1.28379167095512558561e-1, -3.2504210724700149937e-1, -2.84817495755985104766e-2,
    -5.77027029648944159157e-3, -2.37630166566501626084e-5,
  ],
  QQ: [
    1, 3.97917223959155352819e-1, 6.50222499887672944485e-2, 5.08130628187576562776e-3,
    1.32494738004321644526e-4, -3.9602282787753681232e-6,
  ],
  // erf(1 + s) = ERX + P(s) / Q(s) on 0.84375 <= |x| < 1.25, s = |x| - 1
  PA: [
    -2.36211856075265944077e-3, 4.14856118683748331666e-1, -3.72207876035701323847e-1,
    3.18346619901161753674e-1, -1.10894694282396677476e-1, 3.54783043256182359371e-2,
    -2.166375594868790843e-3,
  ],
  QA: [
    1, 1.06420880400844228286e-1, 5.40397917702171048937e-1, 7.18286544141962662868e-2,
    1.26171219808761642112e-1, 1.36370839120290507362e-2, 1.1984499846799107417e-2,
  ],
  // erfc(x) = exp(-x^2 - 0.5625 + R(z) / S(z)) / x, z = 1 / x^2, on 1.25 <= x < 1 / 0.35
  RA: [
    -9.86494403484714822705e-3, -6.93858572707181764372e-1, -1.05586262253232909814e1,
    -6.23753324503260060396e1, -1.62396669462573470355e2, -1.84605092906711035994e2,
    -8.12874355063065934246e1, -9.81432934416914548592,
  ],
  SA: [
    1, 1.96512716674392571292e1, 1.376577541435190426e2, 4.34565877475229228821e2, 6.45387271733267880336e2,
    4.29008140027567833386e2, 1.08635005541779435134e2, 6.57024977031928170135, -6.04244152148580987438e-2,
  ],
  // the same on 1 / 0.35 <= x < 28
  RB: [
    -9.86494292470009928597e-3, -7.99283237680523006574e-1, -1.77579549177547519889e1,
    -1.60636384855821916062e2, -6.37566443368389627722e2, -1.02509513161107724954e3,
    -4.83519191608651397019e2,
  ],
  SB: [
    1, 3.03380607434824582924e1, 3.25792512996573918826e2, 1.53672958608443695994e3, 3.19985821950859553908e3,
    2.55305040643316442583e3, 4.74528541206955367215e2, -2.24409524465858183362e1,
  ],
} as const);
const { ERX, PP, QQ, PA, QA, RA, SA, RB, SB } = ERF_COEFFICIENTS;

/** c[0] + c[1] z + c[2] z^2 + ..., by Horner's rule. */
function poly(c: readonly number[], z: number): number {
  let r = c[c.length - 1]!;
  for (let i = c.length - 2; i >= 0; i--) r = r * z + c[i]!;
  return r;
}

/** (erf(x) - x) / x on |x| < 0.84375, as a function of z = x^2. */
function smallCorrection(z: number): number {
  return poly(PP, z) / poly(QQ, z);
}

/** erf(|x|) - ERX on 0.84375 <= |x| < 1.25. */
function nearOne(ax: number): number {
  const s = ax - 1;
  return poly(PA, s) / poly(QA, s);
}

/** erfc(ax) for 1.25 <= ax < 28, without cancellation. */
function tail(ax: number): number {
  const z = 1 / (ax * ax);
  const correction = ax < 1 / 0.35 ? poly(RA, z) / poly(SA, z) : poly(RB, z) / poly(SB, z);
  // exp(-ax^2) loses accuracy when ax^2 is rounded: split ax = s + (ax - s) with s of 24 bits, so s^2 is exact
  // and -ax^2 = -s^2 + (s - ax)(s + ax).
  const s = Math.fround(ax);
  return (Math.exp(-s * s - 0.5625) * Math.exp((s - ax) * (s + ax) + correction)) / ax;
}

/**
 * The error function, erf(x) = 2 / sqrt(pi) * integral from 0 to x of e^(-t^2) dt, to double precision.
 *
 * JavaScript has no `Math.erf`; this one follows fdlibm's rational approximations (relative error about
 * 1e-16). GELU uses it: O = x Phi(x) with Phi(x) = (1 + erf(x / sqrt 2)) / 2.
 *
 * @example
 * ```ts
 * erf(0.5); // → 0.5204998778130465
 * erf(-3);  // → -0.9999779095030014
 * ```
 * @param x - any number; erf(±Infinity) = ±1, erf(NaN) = NaN
 * @returns a number in [-1, 1]
 * @category Math
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < Infinity)) return x !== x ? NaN : Math.sign(x);
  if (ax < 0.84375) {
    if (ax < 2 ** -28) return x * TWO_OVER_SQRT_PI;
    return x + x * smallCorrection(x * x);
  }
  if (ax < 1.25) return x > 0 ? ERX + nearOne(ax) : -ERX - nearOne(ax);
  if (ax >= 6) return Math.sign(x);
  const r = 1 - tail(ax);
  return x > 0 ? r : -r;
}

/**
 * The complementary error function, erfc(x) = 1 - erf(x), accurate also where erf(x) is close to 1
 * (erfc(10) = 2.088487583762545e-45, where 1 - erf(10) would give 0).
 *
 * @example
 * ```ts
 * erfc(1);  // → 0.15729920705028513
 * erfc(-1); // → 1.842700792949715
 * ```
 * @param x - any number; erfc(Infinity) = 0, erfc(-Infinity) = 2, erfc(NaN) = NaN
 * @returns a number in [0, 2]
 * @category Math
 */
export function erfc(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < Infinity)) return x !== x ? NaN : x > 0 ? 0 : 2;
  if (ax < 0.84375) {
    if (ax < 2 ** -56) return 1 - x;
    const y = x * smallCorrection(x * x);
    // for x >= 1/4, 0.5 - ((x - 0.5) + x y) keeps the last bits that 1 - (x + x y) would lose
    return x < 0.25 ? 1 - (x + y) : 0.5 - (x - 0.5 + y);
  }
  if (ax < 1.25) return x > 0 ? 1 - ERX - nearOne(ax) : 1 + (ERX + nearOne(ax));
  if (x < 0) return x <= -6 ? 2 : 2 - tail(ax);
  return ax < 28 ? tail(ax) : 0;
}
