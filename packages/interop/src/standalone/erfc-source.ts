import { ERF_COEFFICIENTS } from '@deltaflow/activations';

// The source of erfc that a standalone module embeds when the model uses gelu (approximate 'none'): the same
// algorithm and arithmetic as erfc of @deltaflow/activations (src/erf.ts), so the module's gelu is the network's
// bit for bit (checked in standalone.test.ts).

/** The coefficients as `const` lines; JSON writes each double so that it reads back as the same double. */
const COEFFICIENT_LINES = Object.entries(ERF_COEFFICIENTS)
  .map(([name, value]) => `  const ${name} = ${JSON.stringify(value)};`)
  .join('\n');

/** JavaScript source defining `const erfc = ...`: the complementary error function in double precision. */
export const ERFC_SOURCE = `// erfc: the rational approximations and coefficients of Sun's fdlibm (s_erf.c), whose notice reads:
//   Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//   Developed at SunPro, a Sun Microsystems, Inc. business.
//   Permission to use, copy, modify, and distribute this software is freely granted, provided that this
//   notice is preserved.
const erfc = (() => {
${COEFFICIENT_LINES}

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
