# Types each LINE into a real interactive zsh (zsh's zpty module: a pseudo terminal) whose
# completion system (compinit) finds the completion file in DIR, presses TAB, and prints the
# command line as it is after the TAB, one per LINE.
#   zsh -f zsh-complete.zsh DIR LINE...
zmodload zsh/zpty || exit 3
dir=$1; shift
zpty -b shell zsh -f -i
zpty -w shell "PS1='%% '; fpath=(${(q)dir} \$fpath); autoload -U compinit && compinit -u -D"
# Ctrl-X prints the line between \x01 and \x02 (bytes the echo of the typed text cannot hold)
zpty -w shell 'show() { print -r -- $'"'\\x01'"'"$BUFFER"$'"'\\x02'"'; BUFFER=; }; zle -N show; bindkey "^X" show'
for line; do
  zpty -w -n shell "$line"$'\t\x18'
  out= deadline=$((SECONDS + 20))
  while [[ $out != *$'\x01'*$'\x02'* ]] && (( SECONDS < deadline )); do
    if zpty -r -t shell chunk; then out+=$chunk; else sleep 0.05; fi
  done
  [[ $out == *$'\x01'*$'\x02'* ]] || { print -r -- "zsh did not answer '$line' within 20 s: $out" >&2; exit 1; }
  out=${out##*$'\x01'}
  print -r -- "${out%%$'\x02'*}"
done
zpty -d shell
