// Documents generated from the schema, for the drift test: every field of every type under a root
// field, in the forms a client may write them (aliases, fragments, @skip/@include, variables with
// defaults). Nothing here names a field of ours: a field added to a type is selected the next run.
import {
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isLeafType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';

export interface Style {
  /** Every field under aliases, leaves several times over, so wide objects pass 45 keys. */
  aliases?: boolean;
  /** Each selection set as a named fragment, or as an inline fragment on its type. */
  fragments?: 'named' | 'inline';
  /** @include/@skip on half the fields, and the first field skipped, then selected again last. */
  directives?: boolean;
  /** __typename in every selection set. */
  typenames?: boolean;
  /** Arguments given as variables, with defaults, most of them omitted (non-null ones too). */
  variables?: boolean;
  /** Arguments of lists given in several forms (status, types, page size) side by side. */
  listForms?: boolean;
}

/** Which fields a document may select. */
export interface Scope {
  /** How many links or lists deep a selection may go below the root field. */
  depth: number;
  /** Whether a field of a tree node type is selected at all (e.g. leave out what a resolver computes). */
  include(field: GraphQLField<unknown, unknown>): boolean;
}

const LEAF_ALIASES = 5;

/** The forms a list's arguments are given in (`types` is its *Types argument). */
const LIST_FORMS: Record<string, string>[] = [
  {},
  { first: '1' },
  { status: 'ACTIVE' },
  { status: 'COMPLETED', first: '2' },
  { types: '["hotel", 1]' },
  { startedFrom: '"2026-01-01T10:30:00+01:00"', startedTo: '"2026-01-02T00:00:00Z"' },
];

const ARGUMENT_TYPES: Record<string, string> = {
  first: 'Int',
  status: 'Status',
  types: '[AttributeRef!]',
  startedFrom: 'DateTime',
  startedTo: 'DateTime',
};

/** What a treeField extension says the field is, when the field is a tree field. */
const treeKind = (field: GraphQLField<unknown, unknown>) => (field.extensions.treeField as { kind?: string } | undefined)?.kind;

class Document {
  readonly variables = new Map<string, { type: string; defaultValue: string }>();
  readonly given: Record<string, unknown> = {};
  readonly fragments: string[] = [];
  private count = 0;
  private widened = false;

  constructor(
    readonly style: Style,
    readonly scope: Scope,
  ) {}

  next(prefix: string): string {
    return `${prefix}${this.count++}`;
  }

  /** A literal as written, or a variable holding it by default; every third one is sent with `sent` instead. */
  value(type: string, literal: string, sent?: unknown): string {
    if (!this.style.variables) return literal;
    const name = this.next('v');
    const nonNull = this.count % 2 === 0 && !type.startsWith('[') ? '!' : '';
    this.variables.set(name, { type: `${type}${nonNull}`, defaultValue: literal });
    if (sent !== undefined && this.count % 3 === 0) this.given[name] = sent;
    return `$${name}`;
  }

  /** The arguments of a list field in one of its forms. */
  listArguments(field: GraphQLField<unknown, unknown>, form: Record<string, string>): string {
    const parts: string[] = [];
    for (const [name, literal] of Object.entries(form)) {
      const arg = name === 'types' ? field.args.find((a) => a.name.endsWith('Types')) : field.args.find((a) => a.name === name);
      if (!arg) continue;
      parts.push(`${arg.name}: ${this.value(ARGUMENT_TYPES[name], literal, name === 'first' ? Number(literal) + 1 : undefined)}`);
    }
    return parts.length ? `(${parts.join(', ')})` : '';
  }

  /** The selection set of `type`, `budget` links or lists deep at most. */
  selection(type: GraphQLObjectType, budget: number): string {
    // Each selected field as `alias: name(args)`, its directives, and its selection set.
    const items: { head: string; directives: string; sub: string }[] = [];
    // The first node type selected gets its leaves LEAF_ALIASES times: past 45 keys in one object.
    const wide = !this.widened && type.extensions.treeNode !== undefined;
    if (wide) this.widened = true;
    for (const field of Object.values(type.getFields())) {
      const kind = treeKind(field);
      if (kind && !this.scope.include(field)) continue;
      const named = getNamedType(field.type);
      const nested = kind === 'link' || kind === 'connection';
      if (nested && budget === 0) continue;
      if (!isLeafType(named) && !isObjectType(named)) throw new Error(`the drift generator cannot select ${type.name}.${field.name}`);
      const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
      if (required.length) throw new Error(`the drift generator has no value for ${type.name}.${field.name}(${required[0].name}:)`);
      const forms = kind === 'connection' && this.style.listForms && budget === this.scope.depth ? LIST_FORMS : [{}];
      for (const form of forms) {
        const args = kind === 'connection' ? this.listArguments(field, form) : '';
        const sub = isObjectType(named) ? ` ${this.wrap(named, this.selection(named, nested ? budget - 1 : budget))}` : '';
        // A subtree once under aliases, or the document doubles at every level.
        const aliased = this.style.aliases || forms.length > 1;
        const copies = !isLeafType(named) || !this.style.aliases ? 1 : wide ? LEAF_ALIASES : 2;
        const names = !aliased ? [undefined] : Array.from({ length: copies }, () => this.next('a'));
        for (const alias of names) items.push({ head: `${alias ? `${alias}: ` : ''}${field.name}${args}`, directives: '', sub });
      }
    }
    if (this.style.typenames) {
      items.unshift({ head: this.style.aliases ? `${this.next('t')}: __typename` : '__typename', directives: '', sub: '' });
    }
    // On the node types' selections only: the document has a limit of directives.
    if (this.style.directives && items.length > 1 && type.extensions.treeNode) {
      const last = items.length - 1;
      items.forEach((item, i) => {
        if (i < last && i % 2 === 1) item.directives = i % 4 === 1 ? ' @include(if: $yes)' : ' @skip(if: $no)';
      });
      // Skipped where it first stands, selected again last: the response has it last.
      items.unshift({ ...items[last], directives: ' @skip(if: $yes)' });
      items[items.length - 1] = { ...items[items.length - 1], directives: ' @include(if: $yes)' };
    }
    return items.map(({ head, directives, sub }) => `${head}${directives}${sub}`).join(' ');
  }

  /** A selection set of `type` as written: plain, or through a fragment. */
  wrap(type: GraphQLObjectType, selection: string): string {
    if (this.style.fragments === 'inline') return `{ ... on ${type.name} { ${selection} } }`;
    if (this.style.fragments === 'named') {
      const name = this.next(`F_${type.name}_`);
      this.fragments.push(`fragment ${name} on ${type.name} { ${selection} }`);
      return `{ ...${name} }`;
    }
    return `{ ${selection} }`;
  }

  text(operation: 'query' | 'mutation', name: string, root: string): string {
    if (this.style.directives) {
      this.variables.set('yes', { type: 'Boolean!', defaultValue: 'true' });
      this.variables.set('no', { type: 'Boolean', defaultValue: 'false' });
    }
    const definitions = [...this.variables].map(([variable, { type, defaultValue }]) => `$${variable}: ${type} = ${defaultValue}`);
    const header = definitions.length ? `${name}(${definitions.join(', ')})` : name;
    return [`${operation} ${header} { ${root} }`, ...this.fragments].join('\n');
  }
}

export interface Generated {
  query: string;
  variables: Record<string, unknown>;
}

/** A query of root field `field` with `args` (literals), selecting everything `scope` allows. */
export function rootQuery(schema: GraphQLSchema, field: string, args: Record<string, string>, style: Style, scope: Scope): Generated {
  const queryType = schema.getQueryType()!;
  const root = queryType.getFields()[field];
  const doc = new Document(style, scope);
  const type = getNamedType(root.type) as GraphQLObjectType;
  const argText = Object.entries(args)
    .map(([name, literal]) => {
      const arg = root.args.find((a) => a.name === name)!;
      const argType = getNamedType(arg.type);
      if (!isScalarType(argType) && !isEnumType(argType)) throw new Error(`no literal for ${field}(${name}:)`);
      return `${name}: ${doc.value(`${argType.name}!`, literal, JSON.parse(literal))}`;
    })
    .join(', ');
  // A root list is a list already: one level of the depth.
  const selection = doc.wrap(type, doc.selection(type, type.extensions.treeNode ? scope.depth : scope.depth - 1));
  const alias = style.aliases ? 'r: ' : '';
  return { query: doc.text('query', 'Drift', `${alias}${field}${argText ? `(${argText})` : ''} ${selection}`), variables: doc.given };
}

/** A mutation of `field` with its input as the variable $input, selecting every payload field `scope` allows. */
export function mutationDocument(schema: GraphQLSchema, field: string, style: Style, scope: Scope): Generated {
  const mutation = schema.getMutationType()!.getFields()[field];
  const doc = new Document({ ...style, variables: false }, scope);
  const payload = getNamedType(mutation.type) as GraphQLObjectType;
  const inputType = getNamedType(mutation.args[0].type).name;
  const selection = doc.wrap(payload, doc.selection(payload, scope.depth));
  doc.variables.set('input', { type: `${inputType}!`, defaultValue: 'null' });
  const text = doc.text('mutation', 'Drift', `${field}(input: $input) ${selection}`).replace(/\$input: ([\w!]+) = null/, '$input: $1');
  return { query: text, variables: {} };
}

/** The list fields of a type, for the cases of bad page arguments. */
export function connectionsOf(type: GraphQLObjectType): GraphQLField<unknown, unknown>[] {
  return Object.values(type.getFields()).filter((field) => treeKind(field) === 'connection');
}
