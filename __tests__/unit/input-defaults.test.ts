// An input left empty must mean exactly what action.yml's default says: the runner passes the
// default only when the workflow omits the input, and `on-collision: ''` (a matrix value, an unset
// variable) must not quietly turn into another policy.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseInputs } from '../../src/inputs/parse-inputs.js';
import { INPUT_NAMES, type InputName, type RawInputs } from '../../src/inputs/input-names.js';

const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { default?: string; required?: boolean }>;
};

const WS = '/home/runner/work/app/app';
/** `image` is required: every row names the same one. */
const IMAGE = 'ghcr.io/acme/app';
/** Defaults the runner evaluates before the step starts; empty means "no value" for them. */
const EXPRESSIONS: Partial<Record<InputName, string>> = { 'github-token': '${{ github.token }}' };

function empty(overrides: Partial<RawInputs> = {}): RawInputs {
  const blank = Object.fromEntries(INPUT_NAMES.map((name) => [name, ''])) as RawInputs;
  return { ...blank, image: IMAGE, ...overrides };
}

const optional = INPUT_NAMES.filter((name) => name !== 'image' && EXPRESSIONS[name] === undefined);

describe('every input left empty parses as its action.yml default', () => {
  it.each(optional.map((name) => [name, action.inputs[name]?.default ?? ''] as const))(
    '%s: empty = %j',
    (name, fallback) => {
      expect(parseInputs(empty({ [name]: '' }), WS)).toEqual(parseInputs(empty({ [name]: fallback }), WS));
    },
  );

  it('all of them at once', () => {
    const defaults = Object.fromEntries(optional.map((name) => [name, action.inputs[name]?.default ?? '']));
    expect(parseInputs(empty(), WS)).toEqual(parseInputs(empty(defaults), WS));
  });

  it('on-collision: empty is fail, as action.yml says, not warn', () => {
    expect(action.inputs['on-collision']?.default).toBe('fail');
    expect(parseInputs(empty(), WS).settings.onCollision).toBe('fail');
  });

  it.each(Object.entries(EXPRESSIONS))(
    '%s defaults to the expression %j, which the runner fills; empty: none',
    (name, expression) => {
      expect(action.inputs[name]?.default).toBe(expression);
      expect(parseInputs(empty(), WS).settings.githubToken).toBeUndefined();
    },
  );

  it('covers every input action.yml declares', () => {
    expect([...optional, 'image', ...Object.keys(EXPRESSIONS)].sort()).toEqual(
      Object.keys(action.inputs).sort(),
    );
  });
});
