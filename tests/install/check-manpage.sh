#!/usr/bin/env bash
# Checks the man page against the binary it documents: it formats without a groff warning, and every
# subcommand of `chainsight --help` and every option of each subcommand's --help (and of the window's)
# appears in it, and every subcommand it documents exists. The --help texts are the source of truth; this catches the page falling behind them.
#   usage: check-manpage.sh CHAINSIGHT MANPAGE        (MANPAGE: the source, or an installed .1.gz)
set -euo pipefail
bin=${1:?usage: check-manpage.sh CHAINSIGHT MANPAGE}
page=${2:?usage: check-manpage.sh CHAINSIGHT MANPAGE}
export QT_QPA_PLATFORM=offscreen LANG=C.UTF-8 LC_ALL=C.UTF-8
fail=0

text() { case "$page" in *.gz) gzip -dc "$page" ;; *) cat "$page" ;; esac; }

# 1. Formats cleanly: groff's warnings all on, nothing on stderr.
warnings=$(text | groff -man -Tutf8 -ww -z 2>&1 >/dev/null || true)
if [ -n "$warnings" ]; then
    echo "check-manpage: groff warns:"; echo "$warnings"; fail=1
fi
if grep -q '@[A-Z_]*@' <<<"$(text)"; then
    echo "check-manpage: an unsubstituted @VARIABLE@ is left in the page"; fail=1
fi

# The page's source with troff's \- turned back into -, for plain searches.
src=$(text | sed 's/\\-/-/g')
need() { # WHAT CONTEXT
    if ! grep -qF -- "$1" <<<"$src"; then
        echo "check-manpage: '$1' ($2) is not in the man page"; fail=1
    fi
}

# 2. Subcommands: the words after "chainsight" in the usage lines of --help.
usage=$("$bin" --help)
mapfile -t commands < <(sed -n 's/^  chainsight \([a-z][a-z-]*\).*/\1/p' <<<"$usage" | sort -u)
[ ${#commands[@]} -gt 0 ] || { echo "check-manpage: no subcommand found in chainsight --help"; exit 1; }
for c in "${commands[@]}"; do
    [ "$c" = open ] && continue # the window's, checked below
    grep -qE "^\.SS \"?$c( |\")" <<<"$src" || { echo "check-manpage: subcommand '$c' has no section under COMMANDS"; fail=1; }
    opts=$("$bin" "$c" --help 2>/dev/null | grep -oE -- '--[a-z][a-z-]*' | sort -u || true)
    for o in $opts; do
        [ "$o" = --help ] || need "$o" "chainsight $c"
    done
done
for o in $(grep -oE -- '--[a-z][a-z-]*' <<<"$usage" | sort -u); do need "$o" "chainsight --help"; done

# And the other way: every subcommand the page documents exists in the binary. A word that is not a
# subcommand goes to the window, whose --help is the window's: so a real one's --help differs from it.
window_help=$(timeout 60 "$bin" open --help 2>/dev/null | tail -n +2 || true)
for c in $(sed -n 's/^\.SS "\([a-z][a-z-]*\) .*/\1/p' <<<"$src" | sort -u); do
    h=$(timeout 60 "$bin" "$c" --help 2>/dev/null | tail -n +2 || true)
    if [ -z "$h" ] || [ "$h" = "$window_help" ]; then
        echo "check-manpage: the page documents '$c', which chainsight does not have"; fail=1
    fi
done

# 3. The window's options (QCommandLineParser; --help-all is Qt's own).
for o in $(grep -oE -- '--[a-z][a-z-]*' <<<"$window_help" | sort -u); do
    case "$o" in --help | --help-all) ;; *) need "$o" "the window" ;; esac
done

# 4. The exit statuses of --help.
for s in 0 1 2; do grep -qE "^\.B $s\$" <<<"$src" || { echo "check-manpage: exit status $s is not described"; fail=1; }; done

[ $fail -eq 0 ] && echo "check-manpage: ok (${#commands[@]} commands: ${commands[*]})"
exit $fail
