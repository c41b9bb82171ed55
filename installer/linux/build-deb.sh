#!/usr/bin/env sh
# Wrap a built desk folder (pyinstaller installer/desk.spec) in a Debian package for
# Debian and Ubuntu: the program in /opt/desk, a `desk` command, the menu entry with
# "Open with desk" for database files, and the icon at every size. Removing the package
# leaves every user's databases and backups where they are.
#
#   installer/linux/build-deb.sh [BUNDLE [OUT_DIR]]     (defaults: dist/desk, dist)
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bundle="${1:-$root/dist/desk}"
out="${2:-$root/dist}"
if [ ! -x "$bundle/desk" ]; then
  echo "No built desk in $bundle: run 'pyinstaller installer/desk.spec' first." >&2
  exit 1
fi
version="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$root/desk/__init__.py")"
arch="$(dpkg --print-architecture)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
chmod 0755 "$stage"

mkdir -p "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" "$stage/DEBIAN"
cp -R "$bundle" "$stage/opt/desk"
ln -s /opt/desk/desk "$stage/usr/bin/desk"
cp "$here/desk.desktop" "$stage/usr/share/applications/desk.desktop"
for size in 16 24 32 48 64 128 256 512; do
  mkdir -p "$stage/usr/share/icons/hicolor/${size}x${size}/apps"
  cp "$root/resources/icons/desk-$size.png" \
     "$stage/usr/share/icons/hicolor/${size}x${size}/apps/desk.png"
done
mkdir -p "$stage/usr/share/doc/desk"
cp "$root/docs/user-guide.md" "$stage/usr/share/doc/desk/user-guide.md"

# The libraries Qt loads from the system rather than the bundle: the display (X11 or
# Wayland), keyboard maps, fonts, OpenGL. Ubuntu 24.04 renamed some with a t64 suffix.
size_kb="$(du -sk "$stage/opt" "$stage/usr" | awk '{s += $1} END {print s}')"
cat > "$stage/DEBIAN/control" <<EOF
Package: desk
Version: $version
Architecture: $arch
Maintainer: desk <desk@localhost>
Installed-Size: $size_kb
Section: office
Priority: optional
Depends: libc6, libegl1, libgl1, libfontconfig1, libfreetype6, libxkbcommon0,
 libxkbcommon-x11-0, libdbus-1-3, libglib2.0-0 | libglib2.0-0t64, libxcb-cursor0,
 libxcb-icccm4, libxcb-keysyms1, libxcb-shape0, libxcb-randr0, libxcb-render-util0,
 libxcb-image0, libx11-xcb1
Description: offline desk for a city's international-affairs office
 Partnerships, agreements, visits and contacts of a city's international
 office, with briefing packets, the annual report and the national survey
 workbook. Works offline; every database stays where its user keeps it.
EOF
# Menus and icon caches learn of desk on install and forget it on removal; neither
# touches a user's data.
for script in postinst postrm; do
  cat > "$stage/DEBIAN/$script" <<'EOF'
#!/bin/sh
set -e
if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database -q /usr/share/applications || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1; then
  gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
fi
EOF
  chmod 0755 "$stage/DEBIAN/$script"
done
chmod -R u+rwX,go+rX,go-w "$stage/opt" "$stage/usr"

mkdir -p "$out"
package="$out/desk_${version}_${arch}.deb"
# gzip: a third of the time xz takes on a 200 MB folder, for a package 10% larger.
dpkg-deb --root-owner-group -Zgzip --build "$stage" "$package" >/dev/null
echo "$package"
