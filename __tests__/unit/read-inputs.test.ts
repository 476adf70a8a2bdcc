import { readRawInputs } from '../../src/inputs/read-inputs.js';

describe('readRawInputs', () => {
  afterEach(() => {
    delete process.env.INPUT_PASSWORD;
    delete process.env.INPUT_IMAGE;
  });

  it('reads the password, then deletes INPUT_PASSWORD from the process environment', () => {
    process.env.INPUT_PASSWORD = 'hunter2-read-once';
    process.env.INPUT_IMAGE = 'acme/app';
    const raw = readRawInputs();
    expect(raw.password).toBe('hunter2-read-once');
    expect(raw.image).toBe('acme/app');
    expect(process.env.INPUT_PASSWORD).toBeUndefined();
    expect(Object.values(process.env)).not.toContain('hunter2-read-once');
    // The other inputs stay: only the secret is forgotten.
    expect(process.env.INPUT_IMAGE).toBe('acme/app');
  });
});
