#!/usr/bin/env bash
# Generates (and commits) a drizzle migration for the given schema files only.
#
#   scripts/new-migration.sh NAME FILE... [-- "commit message"]
#   e.g. scripts/new-migration.sh leave src/server/db/schema/afternoon.ts -- "Leave requests: tables"
#
# Several people may edit schema files in one working tree at once. While drizzle-kit runs, every
# other schema file with uncommitted changes is read at its committed version, so the migration
# holds only the listed files' changes; a lock keeps two generations (and their commits) apart so
# the journal's order is the commit order.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ $# -ge 2 ]] || { echo "usage: $0 NAME FILE... [-- \"commit message\"]" >&2; exit 2; }
name=$1; shift
files=(); message=""
while [[ $# -gt 0 ]]; do
  if [[ $1 == "--" ]]; then shift; message="${1:-}"; break; fi
  files+=("$1"); shift
done

exec 9>/tmp/kehou-migrations.lock
flock 9

backup=$(mktemp -d)
restore() {
  for f in "$backup"/*.ts; do [[ -e $f ]] && cp "$f" "src/server/db/schema/$(basename "$f")"; done
  rm -rf "$backup"
}
trap restore EXIT
for f in src/server/db/schema/*.ts; do
  mine=0
  for o in "${files[@]}"; do [[ $f == "$o" || $(basename "$f") == "$(basename "$o")" ]] && mine=1; done
  [[ $mine -eq 1 ]] && continue
  git ls-files --error-unmatch "$f" >/dev/null 2>&1 || continue
  if ! git diff --quiet HEAD -- "$f"; then
    cp "$f" "$backup/"
    git show "HEAD:$f" >"$f"
  fi
done

before=$(ls src/server/db/migrations/*.sql | wc -l)
npx drizzle-kit generate --name "$name"
restore
trap - EXIT
after=$(ls src/server/db/migrations/*.sql | wc -l)
[[ $after -gt $before ]] || { echo "no migration generated"; exit 0; }
new_sql=$(ls -t src/server/db/migrations/*.sql | head -n 1)
new_snap=$(ls -t src/server/db/migrations/meta/*_snapshot.json | head -n 1)
echo "generated $new_sql"
if [[ -n $message ]]; then
  npx biome format --write "${files[@]}" >/dev/null 2>&1 || true
  git add "${files[@]}" "$new_sql" "$new_snap" src/server/db/migrations/meta/_journal.json
  git commit -q -m "$message" -- "${files[@]}" "$new_sql" "$new_snap" src/server/db/migrations/meta/_journal.json
  echo "committed: $message"
fi
