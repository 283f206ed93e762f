#!/usr/bin/env bash
# Fuzzes this module's Jazzer targets longer than `mvn verify` does:
# ../fuzz.sh lib-ldm [SECONDS] [TARGET] (see there).
exec "$(dirname "${BASH_SOURCE[0]}")/../fuzz.sh" lib-ldm "$@"
