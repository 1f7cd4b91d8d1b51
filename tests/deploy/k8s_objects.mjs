// deploy/k8s as a cluster would get it, without a cluster: the kustomization rendered (the
// parts of kustomize it uses: resources, configMapGenerator, secretGenerator, images, JSON
// patches, replacements), every object checked against the Kubernetes schemas, and the pods the Jobs
// and the Deployment would start written out for `podman kube play`.
//
//   node k8s_objects.mjs DIR OUT [--image REF] [--workers N] [--set KEY=VALUE]... [--kustomized FILE]
//
// --image, --workers and --set change the kustomization's own values (its image, the worker
// Job's parallelism, a settings literal), as a user would edit them. With --kustomized, the
// output of `kubectl kustomize DIR` (before the changes) must equal this rendering, so the
// rendering the pods come from is kustomize's. OUT receives configmap-NAME.yaml, target.yaml,
// master.yaml and worker-1.yaml..worker-N.yaml: each pod named as the Service that reaches it.
import fs from "node:fs";
import path from "node:path";
import yaml from "js-yaml";
import * as core from "kubernetes-models/v1";
import * as apps from "kubernetes-models/apps/v1";
import * as batch from "kubernetes-models/batch/v1";

function fail(message) {
  console.error("error: " + message);
  process.exit(1);
}

function parseArgs(argv) {
  const args = { dir: argv[0], out: argv[1], sets: {}, image: null, workers: null, kustomized: null };
  if (!args.dir || !args.out) fail("usage: k8s_objects.mjs DIR OUT [--image REF] [--workers N] [--set K=V]... [--kustomized FILE]");
  for (let i = 2; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) fail(flag + " needs a value");
    if (flag === "--image") args.image = value;
    else if (flag === "--workers") args.workers = Number(value);
    else if (flag === "--kustomized") args.kustomized = value;
    else if (flag === "--set") {
      const eq = value.indexOf("=");
      args.sets[value.slice(0, eq)] = value.slice(eq + 1);
    } else fail("unknown flag " + flag);
  }
  return args;
}

const readYaml = (file) => yaml.loadAll(fs.readFileSync(file, "utf8")).filter((d) => d);

// A JSON pointer's segments ("/spec/parallelism").
function applyPatch(object, ops) {
  for (const op of ops) {
    const keys = op.path.split("/").slice(1);
    let node = object;
    for (const k of keys.slice(0, -1)) node = node[k];
    if (op.op !== "replace" && op.op !== "add") fail("patch op " + op.op + " is not rendered here");
    node[keys[keys.length - 1]] = op.value;
  }
}

// kustomize's field paths: "spec.template.spec.containers.[name=master].env.[name=X].value".
function fieldPathSegments(fieldPath) {
  return fieldPath.split(/\.(?![^[]*\])/);
}

function resolveField(object, fieldPath, create) {
  const segments = fieldPathSegments(fieldPath);
  let node = object;
  for (let i = 0; i < segments.length - 1; i++) {
    const s = segments[i];
    const match = /^\[(\w+)=(.*)\]$/.exec(s);
    node = match ? node.find((item) => item[match[1]] === match[2]) : node[s];
    if (node === undefined) fail("no field " + fieldPath + " in " + object.kind + "/" + object.metadata.name);
  }
  return { parent: node, key: segments[segments.length - 1] };
}

function find(objects, select) {
  return objects.filter((o) => o.kind === select.kind && (!select.name || o.metadata.name === select.name));
}

function render(dir) {
  const k = yaml.load(fs.readFileSync(path.join(dir, "kustomization.yaml"), "utf8"));
  const objects = [];
  for (const r of k.resources || []) objects.push(...readYaml(path.join(dir, r)));
  for (const g of k.configMapGenerator || []) {
    const data = {};
    for (const f of g.files || []) {
      const [key, file] = f.includes("=") ? f.split("=") : [path.basename(f), f];
      data[key] = fs.readFileSync(path.join(dir, file), "utf8");
    }
    for (const l of g.literals || []) {
      const eq = l.indexOf("=");
      data[l.slice(0, eq)] = l.slice(eq + 1);
    }
    objects.push({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: g.name }, data });
  }
  for (const g of k.secretGenerator || []) {
    const data = {};
    for (const f of g.envs || [])
      for (const line of fs.readFileSync(path.join(dir, f), "utf8").split("\n")) {
        const eq = line.indexOf("=");
        if (eq > 0 && !line.startsWith("#")) data[line.slice(0, eq)] = Buffer.from(line.slice(eq + 1)).toString("base64");
      }
    objects.push({ apiVersion: "v1", kind: "Secret", type: "Opaque", metadata: { name: g.name }, data });
  }
  for (const p of k.patches || []) {
    const ops = yaml.load(p.patch);
    for (const o of find(objects, p.target)) applyPatch(o, ops);
  }
  for (const r of k.replacements || []) {
    const [source] = find(objects, r.source);
    const { parent, key } = resolveField(source, r.source.fieldPath);
    for (const t of r.targets)
      for (const o of find(objects, t.select))
        for (const fp of t.fieldPaths) {
          const target = resolveField(o, fp);
          target.parent[target.key] = String(parent[key]);
        }
  }
  const images = Object.fromEntries((k.images || []).map((i) => [i.name, i.newName + ":" + i.newTag]));
  for (const o of objects) {
    const spec = o.spec && o.spec.template ? o.spec.template.spec : null;
    for (const c of spec ? spec.containers : []) if (images[c.image]) c.image = images[c.image];
  }
  return objects;
}

// `kubectl kustomize` names generated ConfigMaps with a hash of their content and orders objects
// by kind; the same objects compared without either.
function normalized(objects) {
  const text = JSON.stringify(objects).replace(/"(stampede-(?:scenario|settings|token))-[a-z0-9]{10}"/g, '"$1"');
  const sortKeys = (v) =>
    Array.isArray(v) ? v.map(sortKeys)
      : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((key) => [key, sortKeys(v[key])]))
        : v;
  return JSON.parse(text).map(sortKeys).sort((a, b) => (a.kind + a.metadata.name).localeCompare(b.kind + b.metadata.name));
}

const models = {
  "v1/ConfigMap": core.ConfigMap, "v1/Secret": core.Secret, "v1/Service": core.Service, "v1/PersistentVolumeClaim": core.PersistentVolumeClaim,
  "v1/Pod": core.Pod, "apps/v1/Deployment": apps.Deployment, "batch/v1/Job": batch.Job,
};

function validate(object) {
  const model = models[object.apiVersion + "/" + object.kind];
  if (!model) fail("no schema for " + object.apiVersion + " " + object.kind);
  try {
    new model(object).validate();
  } catch (e) {
    fail(object.kind + "/" + object.metadata.name + " does not pass its schema: " + e.message);
  }
}

// A Job's or Deployment's pod as a Pod of its own, named as the Service that reaches it. What the
// kubelet would do and `podman kube play` does not is done here: a Secret's key becomes the
// ConfigMap of the same name that stands in for it (kube play reads ConfigMaps from files), and
// $(NAME) in a variable's value is replaced by an earlier variable's value.
function podOf(owner, name, secrets) {
  const t = structuredClone(owner.spec.template);
  const pod = { apiVersion: "v1", kind: "Pod", metadata: { ...t.metadata, name }, spec: t.spec };
  validate(pod);
  for (const c of pod.spec.containers) {
    const known = {};
    for (const e of c.env || []) {
      const ref = e.valueFrom && e.valueFrom.secretKeyRef;
      if (ref) {
        known[e.name] = Buffer.from(secrets[ref.name].data[ref.key], "base64").toString();
        e.valueFrom = { configMapKeyRef: { name: ref.name, key: ref.key } };
      } else if (typeof e.value === "string") {
        e.value = e.value.replace(/\$\((\w+)\)/g, (m, n) => (n in known ? known[n] : m));
        known[e.name] = e.value;
      }
    }
  }
  return pod;
}

const args = parseArgs(process.argv.slice(2));
const objects = render(args.dir);
if (args.kustomized) {
  const theirs = JSON.stringify(normalized(readYaml(args.kustomized)));
  const ours = JSON.stringify(normalized(objects));
  if (theirs !== ours) fail("kubectl kustomize renders other objects than this script:\n" + theirs + "\n" + ours);
}
for (const o of objects) validate(o);
console.log("schemas: " + objects.map((o) => o.kind + "/" + o.metadata.name).join(", ") + " pass");

// The user's edits, as they would make them in the kustomization.
const one = (kind, name) => {
  const [o] = objects.filter((x) => x.kind === kind && x.metadata.name === name);
  if (!o) fail("no " + kind + "/" + name + " in " + args.dir);
  return o;
};
const settings = one("ConfigMap", "stampede-settings");
Object.assign(settings.data, args.sets);
const workerJob = one("Job", "stampede-worker");
const masterJob = one("Job", "stampede-master");
if (args.workers) {
  workerJob.spec.parallelism = args.workers;
  masterJob.spec.template.spec.containers[0].env.find((e) => e.name === "STAMPEDE_EXPECT_WORKERS").value =
    String(args.workers);
}
if (args.image)
  for (const o of objects)
    for (const c of o.spec && o.spec.template ? o.spec.template.spec.containers : []) c.image = args.image;

const write = (file, docs) => fs.writeFileSync(path.join(args.out, file), docs.map((d) => yaml.dump(d)).join("---\n"));
fs.mkdirSync(args.out, { recursive: true });
// One file a ConfigMap: `podman kube play --configmap` reads one object a file.
for (const c of objects.filter((o) => o.kind === "ConfigMap")) write(`configmap-${c.metadata.name}.yaml`, [c]);
const secrets = Object.fromEntries(objects.filter((o) => o.kind === "Secret").map((o) => [o.metadata.name, o]));
for (const secret of Object.values(secrets)) {
  const data = Object.fromEntries(Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]));
  write(`configmap-${secret.metadata.name}.yaml`, [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: secret.metadata.name }, data }]);
}
const targetService = one("Service", "stampede-demo-target");
write("target.yaml", [podOf(one("Deployment", "stampede-demo-target"), targetService.metadata.name, secrets)]);
const masterService = one("Service", "stampede-master");
write("master.yaml", [one("PersistentVolumeClaim", "stampede-results"), podOf(masterJob, masterService.metadata.name, secrets)]);
for (let i = 1; i <= workerJob.spec.parallelism; i++) write(`worker-${i}.yaml`, [podOf(workerJob, `stampede-worker-${i}`, secrets)]);
console.log(`pods: ${args.out}: target, master, ${workerJob.spec.parallelism} worker(s)`);
