# Sourced by bin/test: the programs the integration tests drive besides the
# JDK, Redis and PostgreSQL. Headless Chromium and its driver (WebClientIT),
# podman with runc (ContainerImagesIT runs the images). Installed from the
# distribution's packages when missing and this is a Debian or Ubuntu machine
# where we are root; otherwise we say what to install and stop.

_sb_missing_packages() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  command -v podman >/dev/null 2>&1 || missing+=(podman)
  command -v runc >/dev/null 2>&1 || missing+=(runc)
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
