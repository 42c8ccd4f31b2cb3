#!/usr/bin/env bash
# Runs a command with the local SMS centre and mail server beside it (the demo's `make run`):
#   tests/sinks/with-sinks.sh DIR COMMAND...
# The sinks write what they receive to DIR/sms.jsonl and DIR/mail.jsonl; COMMAND gets the
# APP_SMPP_* and APP_SMTP_* settings that point at them. Both stop when COMMAND ends.
# Ports: SINK_SMPP_PORT (2775), SINK_SMPP_CONTROL_PORT (2776), SINK_SMTP_PORT (2525),
# SINK_WEBHOOKS_PORT (2777): a webhook receiver that logs to DIR/webhooks.jsonl.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$1
shift
mkdir -p "$dir"
python="$("$here/venv.sh")/bin/python"
smpp=${SINK_SMPP_PORT:-2775}
control=${SINK_SMPP_CONTROL_PORT:-2776}
smtp=${SINK_SMTP_PORT:-2525}
webhooks=${SINK_WEBHOOKS_PORT:-2777}
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
"$python" "$here/smsc.py" --port "$smpp" --control-port "$control" --dir "$dir" \
  --system-id dispatch --password demo >>"$dir/smsc.log" 2>&1 &
pids+=($!)
"$python" "$here/smtp.py" --port "$smtp" --dir "$dir" >>"$dir/smtp.log" 2>&1 &
pids+=($!)
"$python" "$here/webhooks.py" --port "$webhooks" --dir "$dir" >>"$dir/webhooks.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$smpp") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$smtp") 2>/dev/null && break
  sleep 0.1
done
echo "sinks: SMS to $dir/sms.jsonl (SMPP :$smpp, replies via http://127.0.0.1:$control/reply), e-mail to $dir/mail.jsonl (SMTP :$smtp), webhooks to $dir/webhooks.jsonl (http://127.0.0.1:$webhooks/hooks/<name>)"
export APP_SMPP_HOST=127.0.0.1 APP_SMPP_PORT=$smpp APP_SMPP_SYSTEM_ID=dispatch APP_SMPP_PASSWORD=demo
export APP_SMTP_HOST=127.0.0.1 APP_SMTP_PORT=$smtp APP_SMTP_TLS=none
"$@"
