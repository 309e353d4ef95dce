#!/usr/bin/env bash
# Two ./shopmesh commands started together after a source changed build once, one after the other:
# building the same tree at once, they wrote over each other's classes and one failed with compile
# errors. Runs a copy of ./shopmesh in a scratch tree whose ./mvnw is a stand-in that notes when it
# starts and ends and puts the real CLI jar in place, so the check takes seconds, not two builds.
set -euo pipefail
cd "$(dirname "$0")/.."
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/cli/target" "$tree/cli/src"
cp shopmesh "$tree/"
cp cli/target/cli.jar "$tree/real-cli.jar"
cat >"$tree/mvnw" <<'BUILD'
#!/usr/bin/env bash
echo start >>builds.log
sleep 2
cp real-cli.jar cli/target/cli.jar
echo end >>builds.log
BUILD
chmod +x "$tree/mvnw"
cp "$tree/real-cli.jar" "$tree/cli/target/cli.jar"
touch -d '1 minute ago' "$tree/cli/target/cli.jar"
touch "$tree/cli/src/Changed.java"   # newer than the jar: a build is due

"$tree/shopmesh" -V >"$tree/first.out" 2>&1 &
first=$!
"$tree/shopmesh" -V >"$tree/second.out" 2>&1 &
second=$!
wait $first || { cat "$tree/first.out"; echo "the first command failed"; exit 1; }
wait $second || { cat "$tree/second.out"; echo "the second command failed"; exit 1; }

builds=$(tr '\n' ' ' <"$tree/builds.log")
[ "$builds" = "start end " ] || { echo "expected one build, then none; the builds went: $builds"; exit 1; }
grep -q '^shopmesh ' "$tree/first.out" && grep -q '^shopmesh ' "$tree/second.out" \
  || { cat "$tree/first.out" "$tree/second.out"; echo "a command did not run after the build"; exit 1; }
grep -q "waiting for another terminal's build" "$tree/first.out" "$tree/second.out" \
  || { echo "neither command said it waited for the other's build"; exit 1; }
echo "two commands after a change: one build, the other waited for it"
