"""A line-by-line mirror of the format checks in OpenAI's cookbook notebook "Data preparation
and analysis for chat model fine-tuning" (examples/Chat_finetuning_data_prep.ipynb, section
"Format validation"), run over a JSONL file given as argv[1]. Prints the error counts as JSON;
{} means the file passes every check. Kept in Python, the cookbook's language, so that the
check is independent of the TypeScript that wrote the file."""
import json
import sys
from collections import defaultdict

with open(sys.argv[1], "r", encoding="utf-8") as f:
    dataset = [json.loads(line) for line in f]

# Format error checks
format_errors = defaultdict(int)

for ex in dataset:
    if not isinstance(ex, dict):
        format_errors["data_type"] += 1
        continue

    messages = ex.get("messages", None)
    if not messages:
        format_errors["missing_messages_list"] += 1
        continue

    for message in messages:
        if "role" not in message or "content" not in message:
            format_errors["message_missing_key"] += 1

        if any(k not in ("role", "content", "name", "function_call", "weight") for k in message):
            format_errors["message_unrecognized_key"] += 1

        if message.get("role", None) not in ("system", "user", "assistant", "function"):
            format_errors["unrecognized_role"] += 1

        content = message.get("content", None)
        function_call = message.get("function_call", None)

        if (not content and not function_call) or not isinstance(content, str):
            format_errors["missing_content"] += 1

    if not any(message.get("role", None) == "assistant" for message in messages):
        format_errors["example_missing_assistant_message"] += 1

# Beyond the notebook, what issue 15 asks of Loopwatch's chat lines: only the key "messages",
# roles limited to system/user/assistant, and the assistant turn last.
for ex in dataset:
    if isinstance(ex, dict) and set(ex.keys()) != {"messages"}:
        format_errors["unexpected_top_level_key"] += 1
    messages = ex.get("messages") or []
    if any(m.get("role") not in ("system", "user", "assistant") for m in messages):
        format_errors["role_outside_system_user_assistant"] += 1
    if not messages or messages[-1].get("role") != "assistant":
        format_errors["assistant_not_last"] += 1

print(json.dumps({"examples": len(dataset), "errors": dict(format_errors)}))
