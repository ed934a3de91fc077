# Sourced by bin/test: the programs the integration tests drive besides the
# JDK, Redis and PostgreSQL. Headless Chromium and its driver (WebClientIT and
# the TypeScript SDK's browser test), podman with runc (ContainerImagesIT runs
# the images), kubectl (KustomizeOverlaysIT renders the overlays with `kubectl
# kustomize`). Node.js 20+ with npm builds and tests the TypeScript SDK
# (clients/js); it is checked, not installed. Others are installed from the
# distribution's packages when missing and this is a Debian or Ubuntu machine
# where we are root; otherwise we say what to install and stop.

_sb_missing_packages() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  command -v podman >/dev/null 2>&1 || missing+=(podman)
  command -v runc >/dev/null 2>&1 || missing+=(runc)
  # Debian ships kubectl in kubernetes-client (trixie and later); other sources call the package kubectl.
  if ! command -v kubectl >/dev/null 2>&1; then
    if apt-cache show kubernetes-client >/dev/null 2>&1; then missing+=(kubernetes-client); else missing+=(kubectl); fi
  fi
  echo "${missing[@]}"
}

_sb_packages=$(_sb_missing_packages)
if [ -n "$_sb_packages" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bin/test: installing $_sb_packages (needed by the integration tests)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $_sb_packages >/dev/null
  else
    echo "bin/test: the integration tests need: $_sb_packages (Debian/Ubuntu: sudo apt-get install $_sb_packages)" >&2
    exit 2
  fi
fi
unset _sb_packages

if ! command -v npm >/dev/null 2>&1 || ! node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' 2>/dev/null; then
  echo "bin/test: the TypeScript SDK (clients/js) needs Node.js 20 or newer with npm on the PATH (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 2
fi
