/** widget.js is imported as text (`with { type: 'text' }`), templated and served; it never runs on the server. */
declare const source: string;
export default source;
