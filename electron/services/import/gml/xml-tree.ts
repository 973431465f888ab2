/**
 * A small in-memory XML tree for service metadata documents (WFS GetCapabilities, DescribeFeatureType):
 * elements by local name (prefixes dropped, undeclared prefixes accepted), attributes by local name, text.
 * Feature data never goes through this: it is streamed by gml-parser.ts.
 */
import { SaxesParser } from 'saxes';

export interface XmlElement {
  /** Local name without prefix. */
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon >= 0 ? name.slice(colon + 1) : name;
}

/** Parses a document; throws the parser's Error for malformed XML. */
export function parseXmlTree(text: string): XmlElement {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const [key, value] of Object.entries(tag.attributes)) attributes[localName(key)] = value;
    const element: XmlElement = { name: localName(tag.name), attributes, children: [], text: '' };
    stack[stack.length - 1]!.children.push(element);
    stack.push(element);
  });
  parser.on('closetag', () => {
    const element = stack.pop()!;
    element.text = element.text.trim();
  });
  const onText = (value: string): void => {
    stack[stack.length - 1]!.text += value;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.write(text).close();
  const document = root.children[0];
  if (!document) throw new Error('empty document');
  return document;
}

/** Direct children with a local name. */
export function childrenNamed(element: XmlElement | undefined, name: string): XmlElement[] {
  return element ? element.children.filter((child) => child.name === name) : [];
}

/** The first direct child with a local name. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((candidate) => candidate.name === name);
}

/** Every descendant (depth first) with a local name. */
export function descendants(element: XmlElement | undefined, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (node: XmlElement): void => {
    for (const candidate of node.children) {
      if (candidate.name === name) found.push(candidate);
      visit(candidate);
    }
  };
  if (element) visit(element);
  return found;
}

/** Text of the first direct child with a local name, or null. */
export function childText(element: XmlElement | undefined, name: string): string | null {
  const found = child(element, name);
  return found ? found.text : null;
}
