#!/usr/bin/env bash
# Builds the controller and adapter images and writes one release manifest from config/, the way
# Knative projects run `ko resolve -f config/ > release.yaml` (ko itself builds only Go; see ko.yaml).
# config/ names its images `ko://<name>` as Knative's config/ does: no registry serves such a
# reference, so an unresolved manifest cannot run a stale or foreign image by mistake.
#
#   KO_DOCKER_REPO=registry.example.com/rocketmq hack/release.sh --apply      # build, push, apply (the install)
#   KO_DOCKER_REPO=kind.local hack/release.sh --apply                         # build, load into kind, apply
#   KO_DOCKER_REPO=registry.example.com/rocketmq hack/release.sh --tag v0.1.0 # build, push, write release/rocketmqsource.yaml
#   KO_DOCKER_REPO=registry.example.com/rocketmq hack/release.sh --resolve-only --tag v0.1.0 --output -
#   KO_DOCKER_REPO=ghcr.io/example/rocketmq hack/release.sh --resolve-only --digests --tag v0.1.0    # images pushed elsewhere, by digest
#
# Pushed images are referenced by digest (<repo>/<name>@sha256:...); kind.local and ko.local
# images, which no registry holds, by a tag made of their image id (<repo>/<name>:<hex>), as ko does.
# Options:
#   --resolve-only   build nothing: images are $KO_DOCKER_REPO/<name>:<tag>, assumed already pushed
#   --digests        with --resolve-only: reference each by the registry digest of <name>:<tag> (for a
#                    multi-platform image the index's; `docker buildx imagetools inspect` looks it up)
#   --platform P     build for linux/amd64 or linux/arm64 (RID linux-x64 / linux-arm64); default: the engine's own
#   --tag VERSION    image tag (default: $VERSION, else `git describe --tags --always --dirty`); never latest
#   --output FILE    where the manifest goes (default release/rocketmqsource.yaml; `-` = stdout)
#   -f DIR           the manifests to resolve (default config/)
#   --apply          kubectl apply the manifest afterwards
# Environment: KO_DOCKER_REPO (required; `ko.local` = keep in the local engine, `kind.local` = load
# into the kind cluster $KIND_CLUSTER_NAME, default kind), KO_CONFIG_PATH (default ko.yaml).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

die() { echo "release: $*" >&2; exit 1; }
log() { echo "release: $*" >&2; }

resolve_only=false
digests=false
platform=""
apply=false
tag="${VERSION:-}"
output="$root/release/rocketmqsource.yaml"
config_dir="$root/config"
while (($# > 0)); do
  case "$1" in
    --resolve-only) resolve_only=true ;;
    --digests) digests=true ;;
    --platform) (($# > 1)) || die "--platform needs a value"; platform="$2"; shift ;;
    --apply) apply=true ;;
    --tag) (($# > 1)) || die "--tag needs a value"; tag="$2"; shift ;;
    --output) (($# > 1)) || die "--output needs a value"; output="$2"; shift ;;
    -f) (($# > 1)) || die "-f needs a directory"; config_dir="$2"; shift ;;
    -h|--help) sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
  shift
done

repo="${KO_DOCKER_REPO:-}"
[[ -n "$repo" ]] || die "KO_DOCKER_REPO is not set (the registry prefix of the images, as for ko)"
[[ "$repo" =~ ^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*$ ]] \
  || die "KO_DOCKER_REPO '$repo' is not a valid image repository"
if [[ -z "$tag" ]]; then
  tag="$(git -C "$root" describe --tags --always --dirty 2>/dev/null)" || die "no --tag given and no git version to use"
fi
[[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "'$tag' is not a valid image tag"
[[ "$tag" != latest ]] || die "--tag latest: a release names a version (latest moves, and forces a pull on every start)"
[[ -d "$config_dir" ]] || die "no manifest directory $config_dir"
# Native AOT compiles for the build stage's own architecture, so the runtime identifier follows the platform (Dockerfile).
case "$platform" in
  "") platform_args=() ;;
  linux/amd64) platform_args=(--platform linux/amd64 --build-arg RID=linux-x64) ;;
  linux/arm64) platform_args=(--platform linux/arm64 --build-arg RID=linux-arm64) ;;
  *) die "--platform $platform: linux/amd64 or linux/arm64" ;;
esac
! $digests || $resolve_only || die "--digests goes with --resolve-only (a build already references what it pushed by digest)"

ko_config="${KO_CONFIG_PATH:-$root/ko.yaml}"
[[ -d "$ko_config" ]] && ko_config="$ko_config/ko.yaml"
[[ -f "$ko_config" ]] || die "no ko configuration at $ko_config"

# ko.yaml, flattened to "default <image>", "base <name> <image>" and "build <id> <dir> <main>"
# lines. Only the block style ko.yaml uses is understood; anything else stops the release.
read_ko_config() {
  awk '
    function unquote(v) { if (v ~ /^".*"$/ || v ~ /^\047.*\047$/) return substr(v, 2, length(v) - 2); return v }
    function fail(why) { printf "%s:%d: not understood (%s): %s\n", FILENAME, FNR, why, $0 > "/dev/stderr"; bad = 1; exit 1 }
    function flush() { if (id != "") { if (dir == "" || main == "") fail("build " id " needs dir and main"); print "build", id, dir, main }; id = dir = main = "" }
    function field(key, value) {
      if (key == "id") id = value; else if (key == "dir") dir = value; else if (key == "main") main = value
    }
    { sub(/[ \t]+#.*$/, ""); sub(/^#.*$/, "") }
    /^[ \t]*$/ { next }
    /^[A-Za-z]+:/ {
      flush(); section = $1; sub(/:$/, "", section); value = $0; sub(/^[A-Za-z]+:[ \t]*/, "", value)
      if (section == "defaultBaseImage") { if (value == "") fail("defaultBaseImage is empty"); print "default", unquote(value) }
      else if (value != "") fail("unexpected value")
      next
    }
    section == "baseImageOverrides" && /^[ \t]+[^ \t:]+:[ \t]+[^ \t]+$/ {
      name = $1; sub(/:$/, "", name); print "base", unquote(name), unquote($2); next
    }
    section == "builds" && /^[ \t]+-[ \t]+[a-z]+:[ \t]+[^ \t]+$/ { flush(); key = $2; sub(/:$/, "", key); field(key, unquote($3)); next }
    section == "builds" && /^[ \t]+[a-z]+:[ \t]+[^ \t]+$/ { key = $1; sub(/:$/, "", key); field(key, unquote($2)); next }
    { fail("expected the block style of ko.yaml") }
    END { if (!bad) flush() }
  ' "$ko_config"
}

ko_lines="$(read_ko_config)" || die "cannot read $ko_config"
default_base=""
declare -A base_of=()
builds=()
while read -r kind a b c; do
  case "$kind" in
    default) default_base="$a" ;;
    base) base_of["$a"]="$b" ;;
    build) builds+=("$a $b $c") ;;
  esac
done <<<"$ko_lines"
[[ ${#builds[@]} -gt 0 ]] || die "$ko_config declares no builds"

# Builds (or, with --resolve-only, only names) one image; prints the reference config/ gets.
image_reference() {
  local id="$1" dir="$2" name="$3" base="$4"
  local ref="$repo/$name:$tag"
  if $resolve_only; then
    if $digests; then
      local digest
      digest="$(docker buildx imagetools inspect "$ref" --format '{{.Manifest.Digest}}')" || die "cannot look up the digest of $ref"
      [[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || die "$ref: '$digest' is not a digest"
      echo "$repo/$name@$digest"
    else
      echo "$ref"
    fi
    return
  fi
  [[ -f "$root/$dir/$(basename "$dir").csproj" ]] || die "build $id: no project in $dir"
  [[ "$id" =~ ^[a-z][a-z0-9_]*$ ]] || die "build id '$id' cannot name a Dockerfile ARG (${id^^}_BASE)"
  log "building $ref (--target $id, base $base)"
  # Each final stage names its base in its own ARG (<ID>_BASE), as the Dockerfile declares them.
  docker build ${platform_args[@]+"${platform_args[@]}"} --target "$id" --build-arg "${id^^}_BASE=$base" --tag "$ref" "$root" >&2
  case "$repo" in
    ko.local|kind.local)
      # No registry digest without a registry: tag the image with its id, as ko does (pkg/publish/kind.go).
      local image_id local_ref
      image_id="$(docker inspect --format '{{.Id}}' "$ref")" || die "no image id for $ref"
      local_ref="$repo/$name:${image_id#sha256:}"
      docker tag "$ref" "$local_ref" >&2
      if [[ "$repo" == kind.local ]]; then
        kind load docker-image "$local_ref" --name "${KIND_CLUSTER_NAME:-kind}" >&2
      fi
      echo "$local_ref" ;;
    *)
      docker push "$ref" >&2
      local digest
      digest="$(docker inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$ref" | grep -m1 "^$repo/$name@sha256:")" \
        || die "no registry digest for $ref after the push"
      echo "$digest" ;;
  esac
}

if ! $resolve_only; then
  command -v docker >/dev/null || die "docker is not installed (build elsewhere, then use --resolve-only)"
  docker info >/dev/null 2>&1 || die "no Docker engine is reachable (build elsewhere, then use --resolve-only)"
elif $digests; then
  command -v docker >/dev/null || die "docker (with buildx) is needed to look up digests"
fi

# placeholder (config/'s `ko://<name>`) -> resolved reference, as awk assignments.
substitutions=()
for build in "${builds[@]}"; do
  read -r id dir name <<<"$build"
  base="${base_of[$name]:-$default_base}"
  [[ -n "$base" ]] || die "no base image for $name (set defaultBaseImage or baseImageOverrides)"
  resolved="$(image_reference "$id" "$dir" "$name" "$base")"
  log "ko://$name -> $resolved"
  substitutions+=("ko://$name=$resolved")
done

# Rewrites every YAML scalar value equal to a placeholder (plain or quoted, comment kept).
resolve_file() {
  awk -v pairs="$(printf '%s\n' "${substitutions[@]}")" '
    BEGIN { n = split(pairs, list, "\n"); for (i = 1; i <= n; i++) if (list[i] != "") { eq = index(list[i], "="); refs[substr(list[i], 1, eq - 1)] = substr(list[i], eq + 1) } }
    {
      line = $0
      if (line !~ /^[ \t]*#/ && match(line, /^[ \t]*(-[ \t]+)?([A-Za-z0-9_.\/-]+:[ \t]+)?/)) {
        prefix = substr(line, 1, RLENGTH); value = substr(line, RLENGTH + 1); comment = ""
        if (match(value, /[ \t]+#.*$/)) { comment = substr(value, RSTART); value = substr(value, 1, RSTART - 1) }
        quote = ""
        if (value ~ /^".*"$/ || value ~ /^\047.*\047$/) { quote = substr(value, 1, 1); value = substr(value, 2, length(value) - 2) }
        if (value in refs) { print prefix quote refs[value] quote comment; next }
      }
      print
    }
  ' "$1"
}

manifest="$(mktemp)"
trap 'rm -f "$manifest"' EXIT
first=true
while IFS= read -r file; do
  $first || echo "---" >>"$manifest"
  first=false
  echo "# Source: ${file#"$root"/}" >>"$manifest"
  resolve_file "$file" >>"$manifest"
done < <(find "$config_dir" -maxdepth 1 -type f \( -name '*.yaml' -o -name '*.yml' \) | LC_ALL=C sort)
$first && die "no manifests in $config_dir"

# An unresolved ko:// reference means ko.yaml lacks a build for it; a :latest image is never released.
if leftovers="$(grep -nE '^[^#]*(ko://|(:|-)[[:blank:]]+["'\'']?[^[:blank:]"'\'']+:latest["'\'']?[[:blank:]]*(#.*)?$)' "$manifest")"; then
  die "image references left unresolved (no build in $ko_config names them) or :latest:"$'\n'"$leftovers"
fi

if [[ "$output" == "-" ]]; then
  cat "$manifest"
else
  mkdir -p "$(dirname "$output")"
  cp "$manifest" "$output"
  log "wrote $output"
fi

if $apply; then
  kubectl apply -f "$manifest"
fi
