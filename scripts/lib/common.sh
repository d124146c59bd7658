# Shared by scripts/run and scripts/test. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JOBS="${VOXPOP_JOBS:-2}"  # Beast is template-heavy: never more than 2 compile jobs here

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# Installs the Debian packages listed in the given files that are not installed yet.
# Does nothing (and needs no network) when everything is present.
ensure_packages() {
    local missing=()
    local pkg
    for list in "$@"; do
        while read -r pkg; do
            [[ -z "$pkg" || "$pkg" == \#* ]] && continue
            if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
                missing+=("$pkg")
            fi
        done < "$list"
    done
    if ((${#missing[@]})); then
        log "installing missing packages: ${missing[*]}"
        local sudo=""
        [[ $(id -u) -ne 0 ]] && sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        if [[ " $* " == *packages-test* ]]; then
            log "installing Node.js and npm"
            DEBIAN_FRONTEND=noninteractive ${sudo:-} apt-get install -y -qq --no-install-recommends nodejs npm
        fi
    fi
}

# build_in DIR [cmake args...]: configures (quick when cached; the args may differ
# between scripts/run and scripts/test), then builds incrementally.
build_in() {
    local dir="$1"
    shift
    log "configuring $dir"
    cmake -S "$ROOT" -B "$ROOT/$dir" -G Ninja "$@" > /dev/null
    log "building $dir"
    cmake --build "$ROOT/$dir" -j "$JOBS"
}
