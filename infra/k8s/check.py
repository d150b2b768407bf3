"""Cross-checks of built manifests (see validate.sh). Exit 1 with one line per problem."""
import json, re, sys
from pathlib import Path
import yaml

repo, built = Path(sys.argv[1]), sys.argv[2:]
problems = []
SERVICES = {"identity": "services/Identity", "directory": "services/Directory", "dashboard": "services/Dashboard",
            "referrals": "services/Referrals", "training": "services/Training", "projects": "services/Projects",
            "notifications": "services/Notifications",
            "portal": "services/Portal", "gateway": "gateway/Coordination.Gateway"}


def flatten(prefix, node, out):
    if isinstance(node, dict):
        for k, v in node.items():
            flatten(f"{prefix}__{k}" if prefix else k, v, out)
    else:
        out[prefix] = node
    return out


def matches(selector, labels):
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for e in selector.get("matchExpressions") or []:
        if e["operator"] == "In" and labels.get(e["key"]) not in e["values"]:
            return False
    return True


def operator_pod_labels(doc):
    # Labels the operators put on their pods (CloudNativePG: cnpg.io/cluster; RabbitMQ: app.kubernetes.io/name).
    if doc["kind"] == "Cluster":
        return {"cnpg.io/cluster": doc["metadata"]["name"]}
    if doc["kind"] == "RabbitmqCluster":
        return {"app.kubernetes.io/name": doc["metadata"]["name"]}
    return None


example_secrets = {d["metadata"]["name"] for d in yaml.safe_load_all(open(repo / "infra/k8s/overlays/prod/secrets.example.yaml"))}
example_secrets |= set(re.findall(r"secret generic ([a-z0-9-]+)", open(repo / "infra/k8s/overlays/prod/secrets.example.yaml").read()))
example_secrets |= {f"pg-{s}" for s in SERVICES if s not in ("gateway", "portal")}
example_secrets |= {"coordination-tls"}

for path in built:
    env_name = Path(path).stem
    docs = [d for d in yaml.safe_load_all(open(path)) if d]
    by_kind = {}
    for d in docs:
        for field in ("apiVersion", "kind", "metadata"):
            if field not in d:
                problems.append(f"{env_name}: object without {field}: {str(d)[:80]}")
        by_kind.setdefault(d["kind"], []).append(d)
    names = lambda kind: {d["metadata"]["name"] for d in by_kind.get(kind, [])}
    secrets = names("Secret") if env_name == "dev" else example_secrets
    configmaps = names("ConfigMap")
    pods = []  # label sets of every pod that will run
    deployments = {d["metadata"]["name"]: d for d in by_kind.get("Deployment", [])}
    for d in by_kind.get("Cluster", []) + by_kind.get("RabbitmqCluster", []):
        pods.append(operator_pod_labels(d))
    for name, dep in deployments.items():
        tpl = dep["spec"]["template"]
        labels = tpl["metadata"]["labels"]
        pods.append(labels)
        if not matches(dep["spec"]["selector"], labels):
            problems.append(f"{env_name}: {name}: selector does not match its pod labels")
        c = tpl["spec"]["containers"][0]
        if c.get("readinessProbe", {}).get("httpGet", {}).get("path") != "/health":
            problems.append(f"{env_name}: {name}: readiness probe is not GET /health")
        if c.get("livenessProbe", {}).get("httpGet", {}).get("path") != "/alive":
            problems.append(f"{env_name}: {name}: liveness probe is not GET /alive")
        res = c.get("resources", {})
        for part in ("requests", "limits"):
            if "memory" not in res.get(part, {}):
                problems.append(f"{env_name}: {name}: no memory {part}")
        env = {}
        for i, e in enumerate(c.get("env", [])):
            for ref in re.findall(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", str(e.get("value", ""))):
                if ref not in env:
                    problems.append(f"{env_name}: {name}: {e['name']} uses $({ref}) not defined before it")
            env[e["name"]] = e
            ref = (e.get("valueFrom") or {}).get("secretKeyRef")
            if ref and ref["name"] not in secrets:
                problems.append(f"{env_name}: {name}: Secret {ref['name']} is not defined")
        for src in c.get("envFrom", []):
            if src.get("configMapRef") and src["configMapRef"]["name"] not in configmaps:
                problems.append(f"{env_name}: {name}: ConfigMap {src['configMapRef']['name']} is not defined")
        for v in tpl["spec"].get("volumes", []):
            if "secret" in v and v["secret"]["secretName"] not in secrets:
                problems.append(f"{env_name}: {name}: Secret {v['secret']['secretName']} (volume) is not defined")
        # What the code expects: connection strings and Identity settings of appsettings.json.
        appsettings = repo / SERVICES[name] / "appsettings.json"
        if not appsettings.exists():
            print(f"check {env_name}: {name}: {appsettings.relative_to(repo)} not in this tree, its settings not cross-checked")
            continue
        settings = json.load(open(appsettings))
        config = {}
        for cm in by_kind.get("ConfigMap", []):
            config.update(cm.get("data", {}))
        for key in settings.get("ConnectionStrings", {}):
            if f"ConnectionStrings__{key}" not in env:
                problems.append(f"{env_name}: {name}: ConnectionStrings__{key} (appsettings.json) is not set")
        for key in ("Authority", "Audience"):
            if key in settings.get("Identity", {}) and f"Identity__{key}" not in config:
                problems.append(f"{env_name}: {name}: Identity__{key} is not in coordination-config")
        if name == "identity" and "Identity__Issuer" not in config:
            problems.append(f"{env_name}: identity: Identity__Issuer is not in coordination-config")
        if name == "gateway":
            for cluster, spec in settings["ReverseProxy"]["Clusters"].items():
                for dest in spec["Destinations"]:
                    key = f"ReverseProxy__Clusters__{cluster}__Destinations__{dest}__Address"
                    if key not in env:
                        problems.append(f"{env_name}: gateway: {key} is not set (it would stay 127.0.0.1)")
                    elif not env[key]["value"].startswith(f"http://{cluster}:8080"):
                        problems.append(f"{env_name}: gateway: {key} does not point at Service {cluster}")
    for name in SERVICES:
        if name not in deployments:
            problems.append(f"{env_name}: no Deployment for {name}")
    # The migration Job (base/migrate.yaml): every service with a database runs its own image with --migrate, with the
    # connection string its Deployment uses; in Production the services never change the schema themselves.
    jobs = {d["metadata"]["name"]: d for d in by_kind.get("Job", [])}
    job = jobs.get("coordination-migrate")
    if not job:
        problems.append(f"{env_name}: no Job coordination-migrate (schema migrations before a rollout)")
    else:
        jspec = job["spec"]["template"]["spec"]
        steps = {c["name"]: c for c in jspec.get("initContainers", []) + jspec["containers"]}
        jvolumes = {v["name"]: v for v in jspec.get("volumes", [])}
        for name in SERVICES:
            if name in ("gateway", "portal") or name not in deployments:
                continue
            step, dep = steps.get(name), deployments[name]["spec"]["template"]["spec"]["containers"][0]
            if not step:
                problems.append(f"{env_name}: Job coordination-migrate does not migrate {name}")
                continue
            if "--migrate" not in (step.get("args") or []):
                problems.append(f"{env_name}: Job coordination-migrate: {name} does not run with --migrate")
            if step["image"] != dep["image"]:
                problems.append(f"{env_name}: Job coordination-migrate: {name} runs {step['image']}, its Deployment {dep['image']}")
            jenv = {e["name"]: e for e in step.get("env", [])}
            denv = {e["name"]: e for e in dep.get("env", [])}
            for key in ("ConnectionStrings__EventStore", "ConnectionStrings__RabbitMq", "PG_USER", "PG_PASSWORD"):
                if key in denv and jenv.get(key) != denv[key]:
                    problems.append(f"{env_name}: Job coordination-migrate: {name}'s {key} differs from its Deployment's")
            for e in step.get("env", []):
                ref = (e.get("valueFrom") or {}).get("secretKeyRef")
                if ref and ref["name"] not in secrets:
                    problems.append(f"{env_name}: Job coordination-migrate: {name}: Secret {ref['name']} is not defined")
            for m in step.get("volumeMounts", []):
                if m["name"] not in jvolumes:
                    problems.append(f"{env_name}: Job coordination-migrate: {name} mounts {m['name']}, not a volume of the Job")
        for v in jvolumes.values():
            if "secret" in v and v["secret"]["secretName"] not in secrets:
                problems.append(f"{env_name}: Job coordination-migrate: Secret {v['secret']['secretName']} (volume) is not defined")
        pods.append(job["spec"]["template"]["metadata"]["labels"])
    # The readiness split: readiness /health (503 only without PostgreSQL), liveness and startup on /alive.
    for name, dep in deployments.items():
        c = dep["spec"]["template"]["spec"]["containers"][0]
        if c.get("startupProbe", {}).get("httpGet", {}).get("path") != "/alive":
            problems.append(f"{env_name}: {name}: startup probe is not GET /alive")
    services = {d["metadata"]["name"]: d for d in by_kind.get("Service", [])}
    for name, dep in deployments.items():
        svc = services.get(name)
        if not svc or not matches({"matchLabels": svc["spec"]["selector"]}, dep["spec"]["template"]["metadata"]["labels"]):
            problems.append(f"{env_name}: {name}: no Service selecting its pods")
        if not any(matches(p["spec"]["selector"], dep["spec"]["template"]["metadata"]["labels"]) for p in by_kind.get("PodDisruptionBudget", [])):
            problems.append(f"{env_name}: {name}: no PodDisruptionBudget")
        if env_name == "prod" and dep["spec"]["replicas"] < 2:
            problems.append(f"{env_name}: {name}: fewer than 2 replicas")
    for np in by_kind.get("NetworkPolicy", []):
        if np["spec"]["podSelector"] and not any(matches(np["spec"]["podSelector"], p) for p in pods):
            problems.append(f"{env_name}: NetworkPolicy {np['metadata']['name']} selects no pod")
        for rule in np["spec"].get("ingress", []) + np["spec"].get("egress", []):
            for peer in rule.get("from", []) + rule.get("to", []):
                if set(peer) == {"podSelector"} and not any(matches(peer["podSelector"], p) for p in pods):
                    problems.append(f"{env_name}: NetworkPolicy {np['metadata']['name']}: a peer selects no pod")
    exposed = [d for d in by_kind.get("Service", []) if d["spec"].get("type") in ("LoadBalancer", "NodePort")]
    if exposed:
        problems.append(f"{env_name}: Services exposed outside the cluster: {[d['metadata']['name'] for d in exposed]}")
    for ing in by_kind.get("Ingress", []):
        for rule in ing["spec"]["rules"]:
            for p in rule["http"]["paths"]:
                if p["backend"]["service"]["name"] != "gateway":
                    problems.append(f"{env_name}: Ingress {ing['metadata']['name']} routes to {p['backend']['service']['name']}, not the gateway")
    dbs = {d["spec"]["name"] for d in by_kind.get("Database", [])}
    for name in SERVICES:
        if name not in ("gateway", "portal") and name not in dbs:
            problems.append(f"{env_name}: no CloudNativePG Database for {name}")
    for cl in by_kind.get("Cluster", []):
        roles = {r["name"] for r in cl["spec"].get("managed", {}).get("roles", [])}
        for d in by_kind.get("Database", []):
            if d["spec"]["owner"] not in roles:
                problems.append(f"{env_name}: Database {d['spec']['name']}: owner {d['spec']['owner']} is not a managed role")
        if env_name == "prod" and cl["spec"]["instances"] != 3:
            problems.append(f"{env_name}: PostgreSQL cluster has {cl['spec']['instances']} instances, not 3")
    for mq in by_kind.get("RabbitmqCluster", []):
        if env_name == "prod" and mq["spec"]["replicas"] != 3:
            problems.append(f"{env_name}: RabbitMQ has {mq['spec']['replicas']} nodes, not 3")
    print(f"check {env_name}: {len(docs)} objects, {len(deployments)} Deployments cross-checked")

for p in problems:
    print("PROBLEM:", p)
sys.exit(1 if problems else 0)
