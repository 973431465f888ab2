// The three UI languages must carry exactly the same keys (deep) and no empty strings, so no screen
// falls back to another language or shows a raw key.
import { describe, expect, it } from 'vitest';
import en from '../../shared/i18n/en.json';
import fi from '../../shared/i18n/fi.json';
import sv from '../../shared/i18n/sv.json';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, unknown> {
  const entries = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [childPath, childValue] of flatten(value as Tree, path)) entries.set(childPath, childValue);
    } else {
      entries.set(path, value);
    }
  }
  return entries;
}

const languages = { fi: flatten(fi as Tree), sv: flatten(sv as Tree), en: flatten(en as Tree) };

describe('i18n resources', () => {
  it.each(['sv', 'en'] as const)('%s has exactly the keys of fi', (language) => {
    const reference = [...languages.fi.keys()].sort();
    const other = [...languages[language].keys()].sort();
    expect(other.filter((key) => !languages.fi.has(key)), `keys only in ${language}`).toEqual([]);
    expect(reference.filter((key) => !languages[language].has(key)), `keys missing from ${language}`).toEqual([]);
  });

  it.each(['fi', 'sv', 'en'] as const)('%s has only non-empty string values', (language) => {
    const bad = [...languages[language]].filter(([, value]) => typeof value !== 'string' || value.trim() === '').map(([key]) => key);
    expect(bad).toEqual([]);
  });

  it.each(['sv', 'en'] as const)('%s uses the same {{placeholders}} as fi', (language) => {
    const placeholders = (text: unknown) => [...String(text).matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]).sort();
    const mismatched = [...languages.fi]
      .filter(([key, value]) => JSON.stringify(placeholders(value)) !== JSON.stringify(placeholders(languages[language].get(key))))
      .map(([key]) => key);
    expect(mismatched).toEqual([]);
  });
});
