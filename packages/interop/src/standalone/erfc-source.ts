// The source of erfc that a standalone module embeds when the model uses gelu (approximate 'none'): the same
// algorithm and arithmetic as erfc of @deltaflow/activations (src/erf.ts), so the module's gelu is the network's
// bit for bit (checked in standalone.test.ts).

/** JavaScript source defining `const erfc = ...`: the complementary error function in double precision. */
export const ERFC_SOURCE = `// erfc: the rational approximations and coefficients of Sun's fdlibm (s_erf.c), whose notice reads:
//   Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//   Developed at SunPro, a Sun Microsystems, Inc. business.
//   Permission to use, copy, modify, and distribute this software is freely granted, provided that this
//   notice is preserved.
const erfc = (() => {
  const ERX = 8.45062911510467529297e-1;
  const PP = [
    1.28379167095512558561e-1, -3.2504210724700149937e-1, -2.84817495755985104766e-2,
    -5.77027029648944159157e-3, -2.37630166566501626084e-5,
  ];
  const QQ = [
    1, 3.97917223959155352819e-1, 6.50222499887672944485e-2, 5.08130628187576562776e-3,
    1.32494738004321644526e-4, -3.9602282787753681232e-6,
  ];
  const PA = [
    -2.36211856075265944077e-3, 4.14856118683748331666e-1, -3.72207876035701323847e-1,
    3.18346619901161753674e-1, -1.10894694282396677476e-1, 3.54783043256182359371e-2, -2.166375594868790843e-3,
  ];
  const QA = [
    1, 1.06420880400844228286e-1, 5.40397917702171048937e-1, 7.18286544141962662868e-2,
    1.26171219808761642112e-1, 1.36370839120290507362e-2, 1.1984499846799107417e-2,
  ];
  const RA = [
    -9.86494403484714822705e-3, -6.93858572707181764372e-1, -1.05586262253232909814e1,
    -6.23753324503260060396e1, -1.62396669462573470355e2, -1.84605092906711035994e2, -8.12874355063065934246e1,
    -9.81432934416914548592,
  ];
  const SA = [
    1, 1.96512716674392571292e1, 1.376577541435190426e2, 4.34565877475229228821e2, 6.45387271733267880336e2,
    4.29008140027567833386e2, 1.08635005541779435134e2, 6.57024977031928170135, -6.04244152148580987438e-2,
  ];
  const RB = [
    -9.86494292470009928597e-3, -7.99283237680523006574e-1, -1.77579549177547519889e1,
    -1.60636384855821916062e2, -6.37566443368389627722e2, -1.02509513161107724954e3, -4.83519191608651397019e2,
  ];
  const SB = [
    1, 3.03380607434824582924e1, 3.25792512996573918826e2, 1.53672958608443695994e3, 3.19985821950859553908e3,
    2.55305040643316442583e3, 4.74528541206955367215e2, -2.24409524465858183362e1,
  ];

  function poly(c, z){
    let r = c[c.length - 1];
    for (let i = c.length - 2; i >= 0; i--) r = r * z + c[i];
    return r;
  }

  function smallCorrection(z){
    return poly(PP, z) / poly(QQ, z);
  }

  function nearOne(ax){
    const s = ax - 1;
    return poly(PA, s) / poly(QA, s);
  }

  function tail(ax){
    const z = 1 / (ax * ax);
    const correction = ax < 1 / 0.35 ? poly(RA, z) / poly(SA, z) : poly(RB, z) / poly(SB, z);
    const s = Math.fround(ax);
    return (Math.exp(-s * s - 0.5625) * Math.exp((s - ax) * (s + ax) + correction)) / ax;
  }

  function erfc(x){
    const ax = Math.abs(x);
    if (!(ax < Infinity)) return x !== x ? NaN : x > 0 ? 0 : 2;
    if (ax < 0.84375) {
      if (ax < 2 ** -56) return 1 - x;
      const y = x * smallCorrection(x * x);
      return x < 0.25 ? 1 - (x + y) : 0.5 - (x - 0.5 + y);
    }
    if (ax < 1.25) return x > 0 ? 1 - ERX - nearOne(ax) : 1 + (ERX + nearOne(ax));
    if (x < 0) return x <= -6 ? 2 : 2 - tail(ax);
    return ax < 28 ? tail(ax) : 0;
  }
  return erfc;
})();
`;
