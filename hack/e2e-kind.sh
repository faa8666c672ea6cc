#!/usr/bin/env bash
# Runs the end-to-end suite (tests/RocketMqSource.E2E) on a throwaway kind cluster: Knative Serving
# (Kourier) and Eventing, KEDA, RocketMQ 5 and Prometheus installed at pinned versions, our images
# built and loaded with hack/release.sh, the suite run, logs collected on failure, the cluster deleted.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Pinned versions. Downloaded manifests and their sha256 are in hack/e2e/downloads.sha256; the
# RocketMQ and Prometheus images in hack/e2e/*.yaml.
kind_version="v0.32.0"
# kind v0.32.0's own default node image (sigs.k8s.io/kind pkg/apis/config/defaults/image.go at the tag).
kind_node_image="kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5"
pins="${E2E_PINS:-$root/hack/e2e/downloads.sha256}"

usage() {
  cat <<EOF
Usage: hack/e2e-kind.sh [--keep-cluster] [--name NAME] [--artifacts DIR] [--pin]

Creates a kind cluster, installs Knative Serving with Kourier and Knative Eventing (in-memory
channel, MT channel broker), KEDA, RocketMQ 5 (name server, broker and gRPC proxy from Apache's
official image, authentication on) and Prometheus, builds the controller, adapter and order-service
images and loads them into the cluster (KO_DOCKER_REPO=kind.local hack/release.sh), runs
\`dotnet test tests/RocketMqSource.E2E\` with ROCKETMQSOURCE_E2E=1, collects logs if anything
failed, and deletes the cluster.

Prerequisites on PATH:
  docker      a running engine (kind nodes are containers; images are built with it)
  kind        exactly $kind_version (go install sigs.k8s.io/kind@$kind_version)
  kubectl     a client within one minor version of the node image ($kind_node_image)
  dotnet      the SDK global.json names (builds the suite and the order-service image)
  node, npm   the test build installs the npm peers of tests/interop
  curl, sha256sum
Network: GitHub release downloads, gcr.io (Knative), ghcr.io (KEDA), Docker Hub (RocketMQ,
Prometheus), mcr.microsoft.com (.NET base images), NuGet.
Machine: about 4 CPUs and 8 GiB free for the cluster.

Every downloaded manifest must match its sha256 in hack/e2e/downloads.sha256; a line still
UNPINNED stops the run (see --pin).

Options:
  --keep-cluster   leave the cluster running afterwards (its kubeconfig path is printed)
  --name NAME      kind cluster name (default rocketmqsource-e2e)
  --artifacts DIR  where logs go on failure (default: a new temporary directory, printed)
  --pin            download every manifest in hack/e2e/downloads.sha256 and print its sha256
                   in the file's format, to compare and commit; creates no cluster
  -h, --help       this text
EOF
}

die() { echo "e2e-kind: $*" >&2; exit 1; }
log() { echo "e2e-kind: $*" >&2; }

cluster="rocketmqsource-e2e"
keep=false
pin=false
artifacts=""
while (($# > 0)); do
  case "$1" in
    --keep-cluster) keep=true ;;
    --name) (($# > 1)) || die "--name needs a value"; cluster="$2"; shift ;;
    --artifacts) (($# > 1)) || die "--artifacts needs a directory"; artifacts="$2"; shift ;;
    --pin) pin=true ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
  shift
done

[[ -f "$pins" ]] || die "no pinned downloads at $pins"

# The pinned downloads as "sum file url" lines, comments and blank lines left out.
pinned_downloads() { grep -Ev '^[[:space:]]*(#|$)' "$pins"; }

# Downloads every pinned manifest into $1 and checks each against its sum; nothing is applied
# before all of them passed.
fetch_manifests() {
  local dir="$1" sum file url
  mkdir -p "$dir"
  while read -r sum file url; do
    [[ "$sum" =~ ^[0-9a-f]{64}$ ]] \
      || die "$file has no pinned sha256 in $pins ($sum): run hack/e2e-kind.sh --pin where $url is reachable, compare, commit the sum"
    [[ "$file" =~ ^[A-Za-z0-9._-]+$ ]] || die "$pins: '$file' is not a plain file name"
    curl -fsSL --retry 3 -o "$dir/$file" "$url" || die "cannot download $url"
    echo "$sum  $dir/$file" | sha256sum --check --quiet --status - \
      || die "$file from $url has sha256 $(sha256sum "$dir/$file" | cut -d' ' -f1), not the pinned $sum"
  done < <(pinned_downloads)
}

if $pin; then
  command -v curl >/dev/null || die "curl is not installed"
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  while read -r _ file url; do
    curl -fsSL --retry 3 -o "$scratch/$file" "$url" || die "cannot download $url"
    echo "$(sha256sum "$scratch/$file" | cut -d' ' -f1)  $file  $url"
  done < <(pinned_downloads)
  exit 0
fi

for tool in docker kind kubectl dotnet node npm curl sha256sum; do
  command -v "$tool" >/dev/null || die "$tool is not installed (see --help)"
done
docker info >/dev/null 2>&1 || die "no Docker engine is reachable"
kind version | grep -q "kind $kind_version " || die "kind $kind_version is required, found: $(kind version)"

work="$(mktemp -d)"
artifacts="${artifacts:-$(mktemp -d)}"
mkdir -p "$artifacts"
export KUBECONFIG="$work/kubeconfig"
created=false

collect_logs() {
  log "collecting logs into $artifacts"
  kind export logs "$artifacts/kind" --name "$cluster" >/dev/null 2>&1 || true
  kubectl get all,rocketmqsources,scaledobjects,brokers,triggers,ksvc -A -o wide >"$artifacts/objects.txt" 2>&1 || true
  kubectl get rocketmqsources,scaledobjects -A -o yaml >"$artifacts/sources.yaml" 2>&1 || true
  kubectl get events -A --sort-by=.lastTimestamp >"$artifacts/events.txt" 2>&1 || true
  local ns pod
  for ns in rocketmq-source food-delivery rocketmq keda monitoring; do
    while read -r pod; do
      [[ -n "$pod" ]] || continue
      kubectl -n "$ns" logs "$pod" --all-containers --prefix >"$artifacts/$ns-$pod.log" 2>&1 || true
    done < <(kubectl -n "$ns" get pods -o name 2>/dev/null | sed 's|^pod/||')
  done
}

finish() {
  local status=$?
  if ((status != 0)) && $created; then
    collect_logs
  fi
  if $created && ! $keep; then
    kind delete cluster --name "$cluster" >/dev/null 2>&1 || log "could not delete kind cluster $cluster"
  elif $created; then
    log "cluster $cluster kept; KUBECONFIG=$KUBECONFIG"
  fi
  $keep || rm -rf "$work"
  ((status == 0)) || log "failed (exit $status); logs in $artifacts"
  exit "$status"
}
trap finish EXIT

log "downloading and checking the pinned manifests"
fetch_manifests "$work/manifests"
manifests="$work/manifests"

# A fresh RocketMQ account for this throwaway cluster (the broker may log it; it opens nothing once
# the cluster is deleted).
access_key="e2e-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
secret_key="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"

log "creating kind cluster $cluster ($kind_node_image)"
created=true # from here on a failure collects logs and deletes whatever kind made
kind create cluster --name "$cluster" --image "$kind_node_image" --kubeconfig "$KUBECONFIG" --wait 180s

wait_deployments() { kubectl -n "$1" wait deployment --all --for=condition=Available --timeout=5m; }

# Applies a manifest again until the API server takes all of it: objects of a release can reach
# its webhooks before their pods serve (Knative's own installs are re-applied the same way).
apply_until_accepted() {
  local attempt
  for attempt in 1 2 3 4 5; do
    kubectl apply "$@" && return 0
    log "apply $* not accepted yet (attempt $attempt); retrying in 10s"
    sleep 10
  done
  die "kubectl apply $* kept failing"
}

log "installing Knative Serving and Kourier"
kubectl apply -f "$manifests/serving-crds.yaml"
kubectl wait --for=condition=Established crd --all --timeout=2m
apply_until_accepted -f "$manifests/serving-core.yaml"
apply_until_accepted -f "$manifests/kourier.yaml"
kubectl -n knative-serving patch configmap/config-network --type merge \
  -p '{"data":{"ingress-class":"kourier.ingress.networking.knative.dev"}}'
wait_deployments knative-serving
wait_deployments kourier-system

log "installing Knative Eventing (in-memory channel, MT channel broker)"
kubectl apply -f "$manifests/eventing-crds.yaml"
kubectl wait --for=condition=Established crd --all --timeout=2m
apply_until_accepted -f "$manifests/eventing-core.yaml"
apply_until_accepted -f "$manifests/in-memory-channel.yaml"
apply_until_accepted -f "$manifests/mt-channel-broker.yaml"
wait_deployments knative-eventing

log "installing KEDA"
# Server-side: KEDA's CRDs exceed the annotation kubectl's client-side apply would write.
apply_until_accepted --server-side -f "$manifests/keda.yaml"
wait_deployments keda

log "installing RocketMQ 5 and Prometheus"
sed -e "s/E2E_ACCESS_KEY/$access_key/g" -e "s/E2E_SECRET_KEY/$secret_key/g" "$root/hack/e2e/rocketmq.yaml" | kubectl apply -f -
kubectl apply -f "$root/hack/e2e/prometheus.yaml"
wait_deployments rocketmq
wait_deployments monitoring

# The sample's topic and group, and the ones the KEDA step uses (tests/RocketMqSource.E2E FoodDeliveryCluster).
mqadmin() { kubectl -n rocketmq exec deploy/rocketmq-broker -c broker -- sh /home/rocketmq/rocketmq-5.3.2/bin/mqadmin "$@" -n rocketmq-namesrv.rocketmq.svc.cluster.local:9876; }
create_topic_and_group() {
  local topic="$1" group="$2" attempt
  for attempt in $(seq 1 30); do
    if mqadmin updateTopic -c DefaultCluster -t "$topic" && mqadmin updateSubGroup -c DefaultCluster -g "$group"; then
      return 0
    fi
    log "broker not ready for mqadmin yet (attempt $attempt)"
    sleep 5
  done
  die "could not create topic $topic and group $group"
}
create_topic_and_group orders order-source
create_topic_and_group e2e-backlog e2e-backlog-source

log "building the controller, adapter and order-service images into the cluster"
release="$work/rocketmqsource.yaml"
KO_DOCKER_REPO=kind.local KIND_CLUSTER_NAME="$cluster" \
  "$root/hack/release.sh" --tag e2e --output "$release"
order_service_image="kind.local/order-service:e2e"
dotnet publish "$root/samples/food-delivery/OrderService" -c Release -t:PublishContainer \
  -p:ContainerRepository=food-delivery/order-service -p:ContainerImageTag=e2e
docker tag food-delivery/order-service:e2e "$order_service_image"
kind load docker-image "$order_service_image" --name "$cluster"

log "running the end-to-end suite"
ROCKETMQSOURCE_E2E=1 \
ROCKETMQSOURCE_E2E_RELEASE="$release" \
ROCKETMQSOURCE_E2E_ORDER_SERVICE_IMAGE="$order_service_image" \
ROCKETMQSOURCE_E2E_ACCESS_KEY="$access_key" \
ROCKETMQSOURCE_E2E_SECRET_KEY="$secret_key" \
  dotnet test "$root/tests/RocketMqSource.E2E" --logger "console;verbosity=normal" \
    --logger "trx;LogFileName=e2e.trx" --results-directory "$artifacts"
log "the end-to-end suite passed"
