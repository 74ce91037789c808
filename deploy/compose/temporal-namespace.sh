#!/bin/sh
# The one-shot job `temporal-namespace` (temporalio/admin-tools): waits for the Temporal server, then
# registers Đôn đốc's namespace if it is not there yet. Closed workflows are kept for the retention
# period (open ones, for as long as they run: years for a plan's assignments). Then defines the search
# attribute the assignments set while a change waits for the database (the worker and the API would
# add it at start too, given the right; defining it here needs no such right).
set -eu
namespace="${TEMPORAL_NAMESPACE:-default}"
retention="${TEMPORAL_NAMESPACE_RETENTION:-720h}"
attempt=1
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do
  if [ "$attempt" -ge 60 ]; then
    echo "Temporal at $TEMPORAL_ADDRESS did not become healthy" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 2
done
if temporal operator namespace describe --namespace "$namespace" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; then
  echo "Namespace $namespace is there"
else
  temporal operator namespace create --namespace "$namespace" --retention "$retention" --address "$TEMPORAL_ADDRESS"
  echo "Namespace $namespace registered"
fi
# A namespace just registered takes a moment to reach every service: tried for up to a minute.
attempt=1
until temporal operator search-attribute list --namespace "$namespace" --address "$TEMPORAL_ADDRESS" 2>/dev/null |
  grep -q DondocUnprojectedPlan; do
  if [ "$attempt" -ge 30 ]; then
    echo "Could not define the search attribute DondocUnprojectedPlan in namespace $namespace" >&2
    exit 1
  fi
  temporal operator search-attribute create --namespace "$namespace" --name DondocUnprojectedPlan --type Keyword \
    --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1 || sleep 2
  attempt=$((attempt + 1))
done
echo "Search attribute DondocUnprojectedPlan is defined"
