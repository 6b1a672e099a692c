import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../random/index.js';
import { associationMatrix } from './associations.js';
import { classBalance } from './class-balance.js';
import { detectProtectedAttributes, nameTokens } from './protected-attributes.js';
import { compareToReferenceSample, compareToReferenceShares } from './representativeness.js';

describe('classBalance', () => {
  it('counts, proportions, imbalance ratio and entropy balance (hand computed)', () => {
    // 6 'a', 3 'b', 1 'c' (+1 missing): ratio 6/1; H = -(.6 ln .6 + .3 ln .3 + .1 ln .1) = 0.8979457;
    // balance = H / ln 3 = 0.8173454.
    const r = classBalance(['a', 'a', 'b', 'a', 'c', 'a', 'b', 'a', 'b', 'a', null]);
    assert.deepEqual(
      r.classes.map((c) => [c.label, c.count]),
      [
        ['a', 6],
        ['b', 3],
        ['c', 1],
      ],
    );
    assert.equal(r.missing, 1);
    assert.equal(r.majority, 'a');
    assert.equal(r.minority, 'c');
    assert.equal(r.imbalanceRatio, 6);
    assert.ok(Math.abs(r.entropy - 0.8979457248567798) < 1e-12);
    assert.ok(Math.abs(r.balance - 0.8979457248567798 / Math.log(3)) < 1e-12);
    assert.equal(classBalance([0, 1, 0, 1]).balance, 1);
  });
});

describe('detectProtectedAttributes', () => {
  const rng = createRng(2);
  const n = 300;
  const gender = Array.from({ length: n }, () => (rng.next() < 0.5 ? 'female' : 'male'));
  const columns = {
    applicantGender: gender,
    AGE_YEARS: Array.from({ length: n }, () => 20 + rng.int(50)),
    col7: Array.from({ length: n }, () => ['White', 'Black', 'Asian'][rng.int(3)]!),
    // A proxy: follows gender 90% of the time.
    title: gender.map((g) =>
      rng.next() < 0.9 ? (g === 'female' ? 'Ms' : 'Mr') : rng.next() < 0.5 ? 'Ms' : 'Mr',
    ),
    income: Array.from({ length: n }, () => rng.normal() * 1000 + 3000),
    mileage: Array.from({ length: n }, () => rng.next()),
    approved: gender.map((g) => (rng.next() < (g === 'male' ? 0.7 : 0.4) ? 1 : 0)),
  };

  it('flags names and values, not look-alikes such as mileage', () => {
    const r = detectProtectedAttributes(columns, { label: 'approved' });
    const byColumn = Object.fromEntries(r.protected.map((p) => [p.column, p]));
    assert.equal(byColumn.applicantGender?.category, 'sex_gender');
    assert.equal(byColumn.AGE_YEARS?.category, 'age');
    assert.equal(byColumn.col7?.category, 'race_ethnicity');
    assert.equal(byColumn.col7?.reason, 'values');
    assert.equal(byColumn.mileage, undefined);
    assert.equal(byColumn.income, undefined);
    assert.deepEqual(nameTokens('applicantGender_2'), ['applicant', 'gender']);
    assert.deepEqual(nameTokens('AGE_YEARS'), ['age', 'years']);
  });

  it('reports proxies by association and the association of protected columns with the label', () => {
    const r = detectProtectedAttributes(columns, { label: 'approved' });
    const proxy = r.proxies.find((p) => p.column === 'title');
    assert.ok(proxy, 'title is a proxy for gender');
    assert.equal(proxy.protectedColumn, 'applicantGender');
    assert.equal(proxy.measure, 'cramers_v');
    assert.ok(proxy.association > 0.7);
    assert.ok(!r.proxies.some((p) => p.column === 'income'));
    const label = r.labelAssociation.find((p) => p.protectedColumn === 'applicantGender');
    assert.ok(label && label.association > 0.15, `label association ${label?.association}`);
  });

  it('association matrix picks the measure by column kinds', () => {
    const m = associationMatrix({ g: columns.applicantGender, a: columns.AGE_YEARS, t: columns.title });
    assert.deepEqual(m.measures[0], ['self', 'correlation_ratio', 'cramers_v']);
    assert.equal(m.values[1]![2], m.values[2]![1]);
  });
});

describe('representativeness', () => {
  it('categorical shares against reference proportions (hand computed)', () => {
    // 60 'a', 40 'b' against a 50/50 population: TV = 0.1; chi2 = (10^2 + 10^2) / 50 = 4 on 1 dof.
    const values = [...new Array(60).fill('a'), ...new Array(40).fill('b'), null];
    const r = compareToReferenceShares(values, { a: 0.5, b: 0.5 });
    assert.equal(r.n, 100);
    assert.ok(Math.abs(r.totalVariation - 0.1) < 1e-15);
    assert.equal(r.chiSquare.statistic, 4);
    assert.equal(r.chiSquare.dof, 1);
    assert.ok(Math.abs(r.chiSquare.pValue - 0.04550026389635842) < 1e-12); // scipy.stats.chi2.sf(4, 1)
    assert.deepEqual(
      r.categories.map((c) => c.representationRatio),
      [1.2, 0.8],
    );
  });

  it('reports categories missing from the reference and counts them in the total variation', () => {
    const r = compareToReferenceShares(['a', 'a', 'c', 'c'], new Map([['a', 1]]));
    assert.deepEqual(r.unexpected, ['c']);
    assert.equal(r.totalVariation, 0.5);
  });

  it('numeric column against a reference sample: identical samples give 0, shifted ones do not', () => {
    const rng = createRng(4);
    const ref = Array.from({ length: 500 }, () => rng.normal());
    assert.equal(compareToReferenceSample(ref, ref).ksDistance, 0);
    assert.equal(compareToReferenceSample(ref, ref).totalVariation, 0);
    const shifted = compareToReferenceSample(
      ref.map((v) => v + 1),
      ref,
    );
    assert.ok(shifted.ksDistance > 0.3 && shifted.totalVariation > 0.3);
    assert.equal(shifted.bins.length, 10);
  });
});
