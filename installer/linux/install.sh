#!/usr/bin/env sh
# Install a built desk folder for this user: the program in ~/.local/lib/desk, a `desk`
# command in ~/.local/bin, the menu entry and the icon at every size. Nothing needs
# root, and uninstalling (install.sh --remove) leaves the databases where they are.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
bundle="${1:-$here/../../dist/desk}"
prefix="$HOME/.local"
if [ "${1:-}" = "--remove" ]; then
  rm -rf "$prefix/lib/desk" "$prefix/bin/desk" "$prefix/share/applications/desk.desktop"
  for size in 16 24 32 48 64 128 256 512; do
    rm -f "$prefix/share/icons/hicolor/${size}x${size}/apps/desk.png"
  done
  echo "desk removed; your databases and backups are where they were."
  exit 0
fi
mkdir -p "$prefix/lib" "$prefix/bin" "$prefix/share/applications"
rm -rf "$prefix/lib/desk" && cp -R "$bundle" "$prefix/lib/desk"
ln -sf "$prefix/lib/desk/desk" "$prefix/bin/desk"
cp "$here/desk.desktop" "$prefix/share/applications/desk.desktop"
for size in 16 24 32 48 64 128 256 512; do
  mkdir -p "$prefix/share/icons/hicolor/${size}x${size}/apps"
  cp "$here/../../resources/icons/desk-$size.png" \
     "$prefix/share/icons/hicolor/${size}x${size}/apps/desk.png"
done
"$prefix/bin/desk" --self-test
echo "desk installed: in the applications menu, and as 'desk' on the command line."
