#!/usr/bin/env bash
# Builds switchboard's base image without a registry or a Docker daemon: a
# distroless-style root filesystem (glibc and libgcc from this Debian host's
# packages, a passwd with the nonroot user 65532, /tmp) plus a Java runtime
# that jlink cuts from the build JDK. Writes it as a `docker save` archive,
# which Jib takes as its base (tar://...) and `podman load`/`docker load` read.
#
#   deploy/images/build-base.sh OUT.tar [TAG]
#
# Needs: a Debian or Ubuntu build host (dpkg), JAVA_HOME set to a JDK 21+ whose
# jlink can link from its jmods or, as Temurin 25 can, from its run-time image.
# The tar is reproducible for the same JDK and package versions (mtime 0,
# sorted entries, numeric owners).
set -euo pipefail

out=${1:?usage: build-base.sh OUT.tar [TAG]}
tag=${2:-switchboard-jre:latest}
: "${JAVA_HOME:?JAVA_HOME must name the JDK whose jlink builds the runtime}"
command -v dpkg-query >/dev/null || { echo "build-base.sh: needs a Debian or Ubuntu host (dpkg); elsewhere build with -Dimage.base=eclipse-temurin:25-jre" >&2; exit 2; }

# The modules the launcher needs (jdeps --print-module-deps over its runtime
# classpath), jdk.zipfs for jar-in-jar resources and jdk.jcmd so that operators
# can take thread and heap dumps in a running container.
modules=java.base,java.desktop,java.naming,java.net.http,java.sql,jdk.jfr,jdk.management,jdk.net,jdk.unsupported,jdk.zipfs,jdk.jcmd
packages=(libc6 libgcc-s1)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{usr/bin,usr/sbin,usr/lib,usr/lib64,etc,tmp,home/nonroot,opt/java,var/lib/dpkg/status.d}
# usrmerge, as on Debian 12: /bin, /sbin, /lib and /lib64 are links into /usr.
for d in bin sbin lib lib64; do ln -s "usr/$d" "$root/$d"; done
chmod 1777 "$root/tmp"

# Package files go to their path with /bin, /lib... resolved into /usr; only the
# copyright notices of /usr/share/doc are kept, and none of the man pages or locales.
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || { echo "build-base.sh: package $p is not installed on this host" >&2; exit 2; }
  while IFS= read -r f; do
    case $f in /usr/share/doc/*/copyright) ;; /usr/share/*) continue ;; esac
    [ -d "$f" ] && [ ! -L "$f" ] && continue
    [ -e "$f" ] || [ -L "$f" ] || continue
    dir=$(dirname "$f"); dir=${dir#/}
    case $dir in bin|bin/*|sbin|sbin/*|lib|lib/*|lib64|lib64/*) dir=usr/$dir ;; esac
    mkdir -p "$root/$dir"
    cp -a "$f" "$root/$dir/"
  done < <(dpkg-query -L "$p")
  dpkg-query -s "$p" > "$root/var/lib/dpkg/status.d/$p"
done

cat > "$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
EOF
cat > "$root/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
nonroot:x:65532:
EOF
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"
printf 'PRETTY_NAME="switchboard-jre (glibc from %s)"\n' "$(. /etc/os-release && echo "$PRETTY_NAME")" > "$root/etc/os-release"

# Runtimes that know them get compact object headers (smaller heap per
# connection) and Netty's off-heap access without warnings, baked into the
# runtime (jlink --add-options) so that no entrypoint has to know the version.
builtin_options=
jlink_extra=()
if "$JAVA_HOME/bin/java" -XX:+UseCompactObjectHeaders --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
  builtin_options="-XX:+UseCompactObjectHeaders --sun-misc-unsafe-memory-access=allow"
  jlink_extra=(--add-options="$builtin_options")
fi
"$JAVA_HOME/bin/jlink" --add-modules "$modules" "${jlink_extra[@]}" --strip-debug --no-header-files --no-man-pages \
  --compress zip-6 --output "$root/opt/java/openjdk"
java_version=$("$root/opt/java/openjdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')

# One layer, written deterministically; the config and manifest of a docker-archive.
(cd "$root" && tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
  --exclude=home/nonroot -cf "$work/layer.tar" -- * \
  && tar --mtime=@0 --owner=65532 --group=65532 --numeric-owner -rf "$work/layer.tar" home/nonroot)
layer_sha=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)

cat > "$work/config.json" <<EOF
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"User":"65532","WorkingDir":"/home/nonroot",
  "Env":["PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/opt/java/openjdk","LANG=C.UTF-8","JAVA_VERSION=$java_version"],
  "Labels":{"org.opencontainers.image.title":"switchboard-jre","org.opencontainers.image.description":"glibc + jlinked Java $java_version runtime, nonroot user 65532","dev.switchboard.java.builtin-options":"$builtin_options"}},
 "rootfs":{"type":"layers","diff_ids":["sha256:$layer_sha"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"deploy/images/build-base.sh"}]}
EOF
config_sha=$(sha256sum "$work/config.json" | cut -d' ' -f1)

mkdir -p "$work/archive/$layer_sha"
mv "$work/layer.tar" "$work/archive/$layer_sha/layer.tar"
mv "$work/config.json" "$work/archive/$config_sha.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]\n' "$config_sha" "$tag" "$layer_sha" > "$work/archive/manifest.json"
mkdir -p "$(dirname "$out")"
(cd "$work/archive" && tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf "$out.tmp" -- *)
mv "$out.tmp" "$out"
echo "build-base.sh: $out ($tag, Java $java_version, $(du -h "$out" | cut -f1))"
