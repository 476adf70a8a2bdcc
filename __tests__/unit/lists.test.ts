import { parseBoolean, parseList } from '../../src/inputs/lists.js';

describe('parseList', () => {
  it.each([
    ['', []],
    ['one', ['one']],
    ['a\nb', ['a', 'b']],
    ['a\r\nb\r\n', ['a', 'b']],
    ['a\rb', ['a', 'b']],
    ['  a  \n\tb\t', ['a', 'b']],
    ['a\n\n\n  \nb', ['a', 'b']],
    ['# comment\na\n  # indented comment\nb # not a comment', ['a', 'b # not a comment']],
    ['KEY=a=b', ['KEY=a=b']],
  ])('%j → %j', (text, expected) => {
    expect(parseList(text)).toEqual(expected);
  });
});

describe('parseBoolean', () => {
  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    [' true\n', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
    ['yes', undefined],
    ['1', undefined],
    ['0', undefined],
    ['tRuE', undefined],
    ['', undefined],
    ['on', undefined],
  ])('%j → %p', (text, expected) => {
    expect(parseBoolean(text)).toBe(expected);
  });
});
