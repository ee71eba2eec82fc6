// css-tree's parser and walker on their own (package subpaths without published types): loading
// them skips the whole-syntax lexer and its MDN data, which halves the import time.
declare module 'css-tree/parser' {
  import type { parse } from 'css-tree';
  const parser: typeof parse;
  export default parser;
}
declare module 'css-tree/walker' {
  import type { walk } from 'css-tree';
  const walker: typeof walk;
  export default walker;
}
