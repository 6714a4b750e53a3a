# optcheck.sh TOOL: the long options of `TOOL -h`, of the man page (.It
# lines) and of the code's option table are the same set; one PASS/FAIL.
tool=$1
h=$("$BIN/$tool" -h | grep -oE -- '--[a-z][a-z-]*' | sort -u)
m=$(grep -E '^\.It' "$TOP/cmd/$tool.1" | sed 's/\\-/-/g' |
    grep -oE ' -[a-z][a-z-]*' | sed 's/^ -/--/' | sort -u)
c=$(grep -oE '\{ "[a-z][a-z-]*",[[:space:]]*(no|required|optional)_argument' \
    "$TOP/cmd/$tool.c" | sed 's/^{ "/--/; s/".*//' | sort -u)
if [ "$h" = "$m" ] && [ "$h" = "$c" ]; then
	echo "PASS $SUITE: options agree in code, -h and man page"
else
	echo "FAIL $SUITE: options differ: -h [$(echo $h)] man [$(echo $m)] code [$(echo $c)]"
fi
