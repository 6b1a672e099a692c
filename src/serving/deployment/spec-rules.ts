import type { ConditionSpec, DeploymentSpec, NodeSpec } from './spec-schema.js';
import { TRAFFIC_NODE } from './spec-schema.js';

/** A rule a spec breaks, at a path like `graph.children[1].router`. */
export interface SpecIssue {
  path: (string | number)[];
  message: string;
}

type Path = (string | number)[];

/** The rules the schema alone cannot state: what each node type needs, names, steps, traffic. */
export function checkDeploymentRules(spec: DeploymentSpec): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const add = (path: Path, message: string) => issues.push({ path, message });
  const names = new Map<string, string>();
  const visit = (node: NodeSpec, path: Path, parent?: NodeSpec) => {
    const where = path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
      .join('')
      .slice(1);
    const seen = names.get(node.name);
    if (seen !== undefined) add([...path, 'name'], `node name '${node.name}' is already used at ${seen}`);
    else names.set(node.name, where);
    checkNode(node, path, add);
    checkStep(node, path, parent, add);
    node.children?.forEach((child, i) => {
      visit(child, [...path, 'children', i], node);
    });
  };

  if ((spec.graph === undefined) === (spec.variants === undefined)) {
    add([], 'give either graph (one graph) or variants (several, with a traffic policy)');
  }
  if (spec.graph) {
    visit(spec.graph, ['graph']);
    if (spec.traffic) add(['traffic'], 'a traffic policy splits requests between variants: use variants');
  }
  if (spec.variants) {
    names.set(TRAFFIC_NODE, '(reserved for the traffic policy)');
    const variantNames = new Set<string>();
    spec.variants.forEach((v, i) => {
      if (variantNames.has(v.name)) add(['variants', i, 'name'], `duplicate variant '${v.name}'`);
      variantNames.add(v.name);
      visit(v.graph, ['variants', i, 'graph']);
    });
    checkTraffic(spec, variantNames, add);
  }
  return issues;
}

function checkNode(node: NodeSpec, path: Path, add: (path: Path, message: string) => void) {
  const has = (key: keyof NodeSpec) => node[key] !== undefined;
  const only = (keys: (keyof NodeSpec)[], why: string) => {
    for (const key of keys) if (has(key)) add([...path, key], `not allowed on a ${node.type} node (${why})`);
  };
  const children = node.children?.length ?? 0;
  switch (node.type) {
    case 'model':
      if (!has('model')) add([...path, 'model'], 'a model node needs model: <URI or path>');
      only(['module', 'export', 'url', 'router', 'combiner'], 'it serves model');
      break;
    case 'remote':
      if (!has('url')) add([...path, 'url'], 'a remote node needs url: http(s)://host/v2/models/<name>');
      else if (!/\/v2\/models\/[^/]+(\/versions\/[^/]+)?\/?$/.test(new URL(node.url!).pathname)) {
        add(
          [...path, 'url'],
          'must be an Open Inference Protocol model URL ending /v2/models/<name>[/versions/<v>]',
        );
      }
      only(['model', 'module', 'export', 'router', 'combiner'], 'it calls url');
      break;
    case 'transformer':
    case 'output_transformer':
      if (has('model') === has('module')) add(path, `a ${node.type} needs exactly one of model or module`);
      only(['url', 'router', 'combiner'], 'it transforms tensors');
      break;
    case 'router':
      if (has('router') === has('module')) add(path, 'a router needs exactly one of router or module');
      if (children === 0) add([...path, 'children'], 'a router needs children');
      only(['model', 'url', 'combiner'], 'it only routes');
      checkRouterArity(node, path, children, add);
      break;
    case 'combiner':
      if (has('combiner') === has('module')) add(path, 'a combiner needs exactly one of combiner or module');
      if (children === 0) add([...path, 'children'], 'a combiner needs children');
      only(['model', 'url', 'router'], 'it only combines');
      break;
  }
  if (has('export') && !has('module')) add([...path, 'export'], 'export names an export of module');
  if (!has('model') && !has('url')) {
    only(['batching', 'workers', 'threads'], 'they apply to model and remote nodes');
  }
}

function checkRouterArity(node: NodeSpec, path: Path, children: number, add: (p: Path, m: string) => void) {
  const router = node.router;
  if (!router) return;
  if (router.type === 'random-ab' && children !== 2) {
    add([...path, 'children'], `random-ab routes between exactly 2 children, got ${children}`);
  }
  if ((router.type === 'epsilon-greedy' || router.type === 'thompson') && children < 2) {
    add([...path, 'children'], `${router.type} needs at least 2 children (its arms)`);
  }
  if (router.type === 'epsilon-greedy' && router.bestBranch !== undefined && router.bestBranch >= children) {
    add([...path, 'router', 'bestBranch'], `must be a child index below ${children}`);
  }
  if (router.type === 'Splitter' && children > 0) {
    const total = (node.children ?? []).reduce((s, c) => s + (c.weight ?? 0), 0);
    if (Math.abs(total - 100) > 1e-9) {
      add([...path, 'children'], `Splitter child weights must sum to 100, got ${total}`);
    }
  }
}

function checkStep(
  node: NodeSpec,
  path: Path,
  parent: NodeSpec | undefined,
  add: (p: Path, m: string) => void,
) {
  const kind = parent?.router?.type;
  const allowed = (key: keyof NodeSpec, routers: string[]) => {
    if (node[key] !== undefined && !routers.includes(kind ?? '')) {
      add([...path, key], `only for children of a ${routers.join(' or ')} router`);
    }
  };
  allowed('condition', ['Switch', 'Sequence']);
  allowed('data', ['Sequence']);
  allowed('dependency', ['Sequence', 'Ensemble']);
  allowed('weight', ['Splitter']);
  if (kind === 'Splitter' && node.weight === undefined)
    add([...path, 'weight'], 'a Splitter child needs a weight');
  if (node.condition) checkCondition(node.condition, [...path, 'condition'], add);
}

function checkCondition(c: ConditionSpec, path: Path, add: (p: Path, m: string) => void) {
  const subjects = [c.input, c.parameter, c.header].filter((s) => s !== undefined).length;
  if (subjects !== 1) add(path, 'a condition tests exactly one of input, parameter or header');
  if (c.op === 'exists') {
    if (c.value !== undefined) add([...path, 'value'], 'exists takes no value');
  } else if (c.value === undefined) add([...path, 'value'], `${c.op} needs a value`);
  else if (c.op === 'in' && !Array.isArray(c.value)) add([...path, 'value'], 'in needs a list of values');
  else if (['lt', 'le', 'gt', 'ge'].includes(c.op) && typeof c.value !== 'number') {
    add([...path, 'value'], `${c.op} compares with a number`);
  } else if (['eq', 'ne'].includes(c.op) && Array.isArray(c.value)) {
    add([...path, 'value'], `${c.op} compares with one value (use in for a list)`);
  }
}

function checkTraffic(spec: DeploymentSpec, variants: Set<string>, add: (p: Path, m: string) => void) {
  const traffic = spec.traffic;
  if (!traffic) {
    if (variants.size > 1) add(['traffic'], 'several variants need a traffic policy');
    return;
  }
  const known = (name: string, path: Path) => {
    if (!variants.has(name)) add(path, `unknown variant '${name}' (variants: ${[...variants].join(', ')})`);
  };
  let served: string[] = [];
  switch (traffic.policy) {
    case 'single':
      served = [traffic.variant];
      known(traffic.variant, ['traffic', 'variant']);
      break;
    case 'canary':
      served = [traffic.main, traffic.canary];
      known(traffic.main, ['traffic', 'main']);
      known(traffic.canary, ['traffic', 'canary']);
      if (traffic.main === traffic.canary) add(['traffic', 'canary'], 'the canary must differ from main');
      break;
    case 'ab': {
      served = Object.keys(traffic.weights);
      for (const v of served) known(v, ['traffic', 'weights', v]);
      const total = Object.values(traffic.weights).reduce((s, w) => s + w, 0);
      if (served.length < 2) add(['traffic', 'weights'], 'an A/B split needs at least 2 variants');
      if (!(total > 0)) add(['traffic', 'weights'], 'weights must not all be 0');
      break;
    }
    default:
      served = traffic.arms;
      traffic.arms.forEach((v, i) => {
        known(v, ['traffic', 'arms', i]);
      });
      if (new Set(served).size !== served.length) add(['traffic', 'arms'], 'arms must be distinct');
  }
  const mirrored = new Set<string>();
  traffic.shadows?.forEach((s, i) => {
    known(s.variant, ['traffic', 'shadows', i, 'variant']);
    if (served.includes(s.variant)) {
      add(['traffic', 'shadows', i, 'variant'], `'${s.variant}' serves traffic; a shadow only gets copies`);
    }
    if (mirrored.has(s.variant))
      add(['traffic', 'shadows', i, 'variant'], `'${s.variant}' is mirrored twice`);
    mirrored.add(s.variant);
  });
  for (const v of variants) {
    if (!served.includes(v) && !mirrored.has(v))
      add(['variants'], `variant '${v}' gets no traffic and no mirror`);
  }
}
