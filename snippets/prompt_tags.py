# The @ names of a reference-to-video prompt, made from one dict, written once.
#
# The prompting guide and the rule-of-12 guide show this section through the
# computed name snippet("prompt_tags.py", "tags"); tests/test_guide_code.py runs
# it as the reader sees it on both pages.

# --8<-- [start:tags]
import re

KIND_PREFIX = {"image": "Image", "video": "Video", "audio": "Audio"}


def assign_tags(references):
    """Return ({role: "@Image1", ...}, {"image_urls": [...], ...})."""
    tags, lists = {}, {"image_urls": [], "video_urls": [], "audio_urls": []}
    for role, (kind, url) in references.items():
        bucket = lists[f"{kind}_urls"]
        bucket.append(url)
        tags[role] = f"@{KIND_PREFIX[kind]}{len(bucket)}"
    return tags, {key: urls for key, urls in lists.items() if urls}


def check_prompt(prompt, tags):
    """Every tag in the prompt must exist, and every reference must be named."""
    written = re.findall(r"@(?:image|video|audio)\d+", prompt, flags=re.IGNORECASE)
    problems = [f"prompt writes {tag}: write it as @{tag[1].upper()}{tag[2:].lower()}, the "
                "form fal documents" for tag in sorted(set(written))
                if not re.fullmatch(r"@(?:Image|Video|Audio)\d+", tag)]
    used = {f"@{tag[1].upper()}{tag[2:].lower()}" for tag in written}
    known = set(tags.values())
    problems += [f"prompt names {tag}, which is not attached" for tag in sorted(used - known)]
    problems += [f"{tag} is attached but never named" for tag in sorted(known - used)]
    return problems
# --8<-- [end:tags]
