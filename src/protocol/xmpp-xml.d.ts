// @xmpp/xml 0.14.0 ships no type declarations and @types/xmpp__xml is not installed. This declares the
// part the codec uses. At runtime @xmpp/xml builds ltx's CommonJS Element (ltx/lib/Element.js), the same
// class @xmpp/component 0.13 uses, so elements built here can be sent as they are.
// If the project adds its own declaration of "@xmpp/xml", delete this file (two would conflict).

declare module "@xmpp/xml" {
  import type { Element, Node } from "ltx";

  export type XmlAttributes = Record<string, string | number | null | undefined>;
  export type XmlChild = Node | number | boolean | null | undefined | XmlChild[];

  export interface XmlFactory {
    (name: string, attrs?: XmlAttributes | string | null, ...children: XmlChild[]): Element;
    readonly Element: typeof Element;
    escapeXML(text: string): string;
    escapeXMLText(text: string): string;
    unescapeXML(text: string): string;
    unescapeXMLText(text: string): string;
  }

  const xml: XmlFactory;
  export default xml;
}
