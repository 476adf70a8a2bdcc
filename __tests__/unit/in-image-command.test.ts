import fc from 'fast-check';
import {
  InImageCommandError,
  mergeEnvLines,
  parseInImageCommand,
} from '../../src/inputs/in-image-command.js';

describe('parseInImageCommand', () => {
  it.each([
    ['python -m app --version', { form: 'shell', script: 'python -m app --version' }],
    ['multi\nline\n', { form: 'shell', script: 'multi\nline\n' }],
    // the shell's test command, not JSON
    ['[ -f /app/config.yml ]', { form: 'shell', script: '[ -f /app/config.yml ]' }],
    ['[ "$HOME" = /home/app ]', { form: 'shell', script: '[ "$HOME" = /home/app ]' }],
    ['["/app/server", "--version"]', { form: 'exec', argv: ['/app/server', '--version'] }],
    ['  ["python"]\n', { form: 'exec', argv: ['python'] }],
    ['[ "python", "-c", "print(1)" ]', { form: 'exec', argv: ['python', '-c', 'print(1)'] }],
    ['["/bin/sh", "-c", "a && b"]', { form: 'exec', argv: ['/bin/sh', '-c', 'a && b'] }],
    ['["a", ""]', { form: 'exec', argv: ['a', ''] }],
  ])('%j', (text, expected) => {
    expect(parseInImageCommand(text)).toEqual(expected);
  });

  it.each([
    ['["python" "--version"]', 'starts like the exec form but is not a JSON array of strings'],
    ['["python", ', 'starts like the exec form'],
    ['[]', 'is JSON but not a non-empty array of strings'],
    ['[1, 2]', 'is JSON but not a non-empty array of strings'],
    ['["a", 1]', 'is JSON but not a non-empty array of strings'],
    ['["", "x"]', 'names no program'],
  ])('%j is an error', (text, message) => {
    expect(() => parseInImageCommand(text)).toThrow(InImageCommandError);
    expect(() => parseInImageCommand(text)).toThrow(message);
  });

  it('any argv written as a JSON array is run exactly as written', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.array(fc.string()), (program, args) => {
        expect(parseInImageCommand(JSON.stringify([program, ...args]))).toEqual({
          form: 'exec',
          argv: [program, ...args],
        });
      }),
    );
  });

  it('text that does not start with [ is shell code, kept as written', () => {
    fc.assert(
      fc.property(
        fc.string().filter((text) => !text.trim().startsWith('[')),
        (text) => {
          expect(parseInImageCommand(text)).toEqual({ form: 'shell', script: text });
        },
      ),
    );
  });
});

describe('mergeEnvLines', () => {
  it.each([
    [[], ['PYTHONFAULTHANDLER=1']],
    [['A=1'], ['PYTHONFAULTHANDLER=1', 'A=1']],
    [
      ['PYTHONFAULTHANDLER=0', 'A=1'],
      ['PYTHONFAULTHANDLER=0', 'A=1'],
    ],
    [['PYTHONFAULTHANDLER='], ['PYTHONFAULTHANDLER=']],
    [
      ['A=1', 'A=2'],
      ['PYTHONFAULTHANDLER=1', 'A=2'],
    ],
    [['URL=http://x/?a=b&c=d'], ['PYTHONFAULTHANDLER=1', 'URL=http://x/?a=b&c=d']],
  ])('%j → %j', (lines, env) => {
    expect(mergeEnvLines(lines)).toEqual(env);
  });

  it('no defaults', () => {
    expect(mergeEnvLines(['A=1'], {})).toEqual(['A=1']);
  });
});
