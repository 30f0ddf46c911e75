// The shapes of the template layer (syntax/templates.ts), in a leaf module so that the syntax tree
// (ast.ts) can name them without importing the scanner, which walks the tree.

export type TemplateDialect = 'jinja' | 'erb' | 'go' | 'shell';
/** What the user asks for: `auto` decides by file name and content; `none` reads the file as plain keepalived. */
export type TemplateMode = 'auto' | 'jinja' | 'erb' | 'go' | 'none';

export type Control = 'branch' | 'loop' | 'fragment' | 'alternative' | 'close';

export interface TemplateTag {
  start: number;
  end: number;
  kind: 'expression' | 'statement' | 'comment';
  control?: Control;
}

/** Where a line is in the template's control structure: the open `if`/`for`/... around it, outermost first. */
export interface TemplateBranch {
  /** Each open group (a number unique in the file) and which of its alternatives the line is in. */
  path: readonly BranchStep[];
}

export interface BranchStep {
  group: number;
  alternative: number;
  /** A loop, macro or other repeated body: its alternatives (`{% for %}...{% else %}`) are not exclusive. */
  loop: boolean;
  /** A macro or Go `define`: rendered wherever it is called, so its lines are a fragment of some block. */
  fragment: boolean;
}
