"""Re-cut the benchmark entries: one per dataset and protocol, results with structured protocol fields.

Reads the benchmark files of the old shape (one entry per source table, free-text ``model`` and
``setting``), writes the new ones and removes the old. Values and sources are copied untouched; the
free-text name goes to ``as_printed``. Run once from the project root:

    python tools/recut_benchmarks.py catalog
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from emocat.catalog.models import Benchmark
from emocat.store.writer import dump_entry
from emocat.store.yamlio import read

#: old entry -> new entry
TARGET = {
    "dfew-humanomni": "dfew-benchmark", "dfew-r1-omni": "dfew-benchmark", "dfew-zero-shot-emotion-llama": "dfew-benchmark",
    "mafw-humanomni": "mafw-benchmark", "mafw-r1-omni": "mafw-benchmark",
    "ravdess-r1-omni": "ravdess",
    "meld-ser-kimi-audio": "meld-ser", "meld-ser-qwen-audio": "meld-ser", "meld-ser-qwen2-5-omni": "meld-ser",
    "meld-instructerc": "meld-erc", "iemocap-instructerc": "iemocap-erc", "emorynlp-instructerc": "emorynlp-erc",
    "instructerc-average": "erc-average",
    "mmla-zero-shot": "mmla-benchmark", "mmla-sft-it": "mmla-benchmark",
    "faba-instruct-emotion": "faba-instruct-benchmark", "faba-instruct-au": "faba-instruct-benchmark",
    "mer2024-mer-noise-challenge": "mer2024-mer-noise", "mer2024-mer-noise-emotion-llama": "mer2024-mer-noise",
    "mer2023-emotion-llama": "mer2023-mer-semi",
    "emer-emotion-llama": "emer-benchmark",
}
UNIBENCH = ("ov-merd-plus-all", "mer2023-mer-multi", "mer2024-mer-semi", "iemocap-session5", "meld-test",
            "cmu-mosi-test", "cmu-mosei-test", "ch-sims-test", "ch-sims-v2-test")

#: old metric name -> canonical metric id (catalog/vocabulary.yaml)
METRIC = {
    "F1 Score": "f1", "Accuracy": "accuracy", "Precision": "precision", "Recall": "recall",
    "UAR": "uar", "WAR": "war", "W-F1": "weighted-f1", "ACC": "accuracy",
    "ACC (speech emotion recognition)": "accuracy",
    "Performance (SER; metric not named in table)": "unnamed-score",
    "Performance↑ (Audio Understanding table; metric not named)": "unnamed-score",
    "Score (weighted average F-score per README citation abstract)": "waf",
    "Clue Overlap (0-10)": "clue-overlap", "Label Overlap (0-10)": "label-overlap",
    "Correctness": "correctness", "Detail": "detail", "Context": "context", "Temporal": "temporal",
    "CIDEr": "cider", "Rouge-L": "rouge-l", "AutoDQ": "autodq",
    "leaderboard score (Avg.)": "emobench-avg", "leaderboard score (FER)": "emobench-fer",
    "leaderboard score (CEU)": "emobench-ceu", "leaderboard score (SCEA)": "emobench-scea",
    "S_{rege}": "s-rege", "S_{re}": "s-re", "S_{ge}": "s-ge",
    "WAF": "waf", "Hit rate": "hit-rate", "Fs": "fs",
}

#: a printed name (modality brackets removed) -> (model id, variant); None: a baseline row
NAMES: dict[str, tuple[str, str | None] | None] = {
    "Emotion-LLaMA": ("emotion-llama-model", None),
    "wav2vec 2.0": ("wav2vec-2-0", None), "Wav2Vec2.0": ("wav2vec-2-0", None),
    "HuBERT": ("hubert", None),
    "VideoChat-Text": ("videochat-model", "VideoChat-Text"), "VideoChat-Embed": ("videochat-model", "VideoChat-Embed"),
    "VideoChat": ("videochat-model", None), "VideoChat2": ("videochat2", None),
    "Video-LLaMA": ("video-llama-model", None), "VideoLLaMA": ("video-llama-model", None),
    "Video-ChatGPT": ("video-chatgpt-model", None), "PandaGPT": ("pandagpt-model", None),
    "Valley": ("valley", None),
    "Qwen2-VL-2B": ("qwen2-vl-model", "2B"), "Qwen2-VL-7B": ("qwen2-vl-model", "7B"),
    "Qwen2-VL-72B": ("qwen2-vl-model", "72B"),
    "VITA": ("vita", None), "InternLM-XComposer-2.5-OL": ("internlm-xcomposer2-5-ol", None),
    "GPT4-O": ("gpt-4o", None), "GPT-4o": ("gpt-4o", None),
    "HumanOmni": ("humanomni-model", None), "HumanOmni-0.5B": ("humanomni-model", "0.5B"),
    "EMER-SFT": ("humanomni-model", "0.5B, EMER-SFT"),
    "MAFW-DFEW-SFT": ("humanomni-model", "0.5B, MAFW-DFEW-SFT"),
    "R1-Omni": ("r1-omni-model", None),
    "Chat-UniVI": ("chat-univi-model", None), "LLaVA-Next-Video": ("llava-next-video", None),
    "ShareGPT4Video": ("sharegpt4video", None), "LLaMA-VID": ("llama-vid-model", None),
    "VideoLLaMA2": ("videollama2", None), "VideoLLaMA2-7B": ("videollama2", "7B"),
    "Video-LLaMA2-7B": ("videollama2", "7B"), "Video-LLaMA2-7B-16F": ("videollama2", "7B-16F"),
    "Video-LLaMA2-72B": ("videollama2", "72B"), "Video-LLaMA2.1-7B-16F": ("videollama2", "2.1-7B-16F"),
    "Video-LLaMA2.1-7B-AV": ("videollama2", "2.1-7B-AV"),
    "PLLaVA": ("pllava", None), "ST-LLM": ("st-llm", None), "Tarsier": ("tarsier", None),
    "LLaVA-OneVision": ("llava-onevision", None), "LLaVA-OV-72B": ("llava-onevision", "72B"),
    "LLaVA-ov-72B": ("llava-onevision", "72B"), "LLaVA-OV-7B": ("llava-onevision", "7B"),
    "LLaVA-ov-7B": ("llava-onevision", "7B"),
    "LLaVA-Video-72B": ("llava-video", "72B"), "LLaVA-Video-7B": ("llava-video", "7B"),
    "FaceTrack-MM": ("facetrack-mm", None), "Claude3.5-Sonnet": ("claude-3-5-sonnet", None),
    "Gemini-2.0-Flash": ("gemini-2-0-flash", None), "Gemini-1.5-Flash": ("gemini-1-5-flash", None),
    "Gemini-2.0-Flash-Thinking": ("gemini-2-0-flash-thinking", None),
    "Qwen2.5-VL-78B-Instruct": ("qwen2-5-vl-model", "78B-Instruct"),
    "GLM-4V-PLUS": None,
    "InternVL2.5-4B": ("internvl2-5", "4B"), "InternVL2.5-8B": ("internvl2-5", "8B"),
    "InternVL2.5-38B": ("internvl2-5", "38B"), "InternVL2.5-78B": ("internvl2-5", "78B"),
    "Qwen2-Audio-7B-Instruct": ("qwen2-audio-7b", "7B-Instruct"), "Qwen2-Audio": ("qwen2-audio-7b", None),
    "Qwen2-Audio-base": ("qwen2-audio-7b", "base"),
    "InternVideo2-Chat-8B": ("internvideo2", "Chat-8B"),
    "MiniCPM-V-2.6-8B": ("minicpm-v-2-6", "8B"), "LongVA-DPO-7B": ("longva", "DPO-7B"),
    "EmoLA": ("emola-model", None),
    "Kimi-Audio": ("kimi-audio-model", None), "Qwen2.5-Omni": ("qwen2-5-omni-model", None),
    "Qwen2.5-Omni-7B": ("qwen2-5-omni-model", "7B"), "Qwen-Audio": ("qwen-audio-model", None),
    "WavLM-large": ("wavlm", "Large"), "MiniCPM-o": ("minicpm-o", None), "Step-Audio-chat": ("step-audio", "chat"),
    "InternLM2.5-7B": ("internlm2-5", "7B"), "Internlm-2.5-7B": ("internlm2-5", "7B"),
    "Qwen2-7B": ("qwen2", "7B"), "Qwen-2-7B": ("qwen2", "7B"), "Qwen2-1.5B": ("qwen2", "1.5B"),
    "Qwen2-0.5B": ("qwen2", "0.5B"), "Llama3-8B": ("llama-3", "8B"), "Llama-3-8B": ("llama-3", "8B"),
    # baselines and references: no model entry
    "VGGish": None, "ResNet": None, "MAE": None, "VideoMAE": None, "RoBERTa": None, "BERT": None,
    "MacBERT": None, "MER2023-Baseline": None, "Transformer": None, "FBP": None, "VAT": None,
    "DFER-CLIP": None, "MAE-DFER": None, "HiCMAE": None, "MMA-DFER": None, "Human": None, "Random": None,
    "Baichuan-chat": None,
}
NOTES = {
    "Human": "human reference row", "Random": "random-choice reference row",
    "Baichuan-chat": "the source does not say which Baichuan model this is",
    "EMER-SFT": "HumanOmni-0.5B after the cold-start stage on EMER data",
    "MAFW-DFEW-SFT": "HumanOmni-0.5B fine-tuned directly on the MAFW and DFEW training sets",
    "Qwen2.5-VL-78B-Instruct": "size as printed by the source",
    "GLM-4V-PLUS": "no model entry yet: the catalog has no verified facts about this model",
}
MODALITY = {"A": "audio", "V": "video", "T": "text"}
INSTRUCTERC = re.compile(r"^(ChatGLM2?|Llama2?) \((Zero-shot|LoRA|All parameters) \+ InstructERC\)$")
INSTRUCTERC_T5 = re.compile(r"^InstructERC \(LoRA; (Total Mix|Ratio Mix|Single); backbone not named in this table\)$")
DISCRIMINANT = re.compile(r"^(\S+) \(Discriminant Models\)$")
MMLA = re.compile(r"^(?P<name>\S+?)(?: \((?P<how>SFT|IT)\))? \[(?P<type>M?LLM)\]$")
TABLE_SPLIT = re.compile(r"^unspecified \(README (Table ?\d)(?:; training-data fraction (\S+))?\)$")

BENCHMARKS: dict[str, dict[str, Any]] = {
    "dfew-benchmark": dict(
        name="DFEW", datasets=["dfew"], task="emotion-recognition", metrics=["uar", "war"],
        description="Dynamic facial expression recognition on DFEW, scored by unweighted and weighted average "
        "recall, from every source that reports it: the HumanOmni comparison table (protocol not stated), "
        "the R1-Omni README (marked in-distribution) and the Emotion-LLaMA README (zero-shot, in prose)."),
    "mafw-benchmark": dict(
        name="MAFW", datasets=["mafw"], task="emotion-recognition", metrics=["uar", "war"],
        description="Emotion recognition on MAFW by unweighted and weighted average recall: the HumanOmni "
        "comparison table (protocol not stated) and the R1-Omni README (marked in-distribution)."),
    "ravdess": dict(
        name="RAVDESS", task="emotion-recognition", metrics=["uar", "war"],
        description="R1-Omni and its baselines on RAVDESS, which the R1-Omni README marks as out-of-distribution."),
    "meld-ser": dict(
        name="MELD speech emotion recognition", datasets=["meld"], task="emotion-recognition",
        metrics=["unnamed-score", "accuracy"],
        description="Speech emotion recognition on MELD as reported in the Qwen-Audio, Qwen2.5-Omni and "
        "Kimi-Audio READMEs. Qwen-Audio names its measure ACC; the other two tables head the column only "
        "'Performance', and none of them describes the setup, so the same model can carry different numbers."),
    "meld-erc": dict(
        name="MELD emotion recognition in conversation", datasets=["meld"],
        task="emotion-recognition-in-conversation", metrics=["weighted-f1"],
        description="Emotion recognition in conversation on MELD, from the InstructERC README tables 1, 2 and 5."),
    "iemocap-erc": dict(
        name="IEMOCAP emotion recognition in conversation", datasets=["iemocap"],
        task="emotion-recognition-in-conversation", metrics=["weighted-f1"],
        description="Emotion recognition in conversation on IEMOCAP, from the InstructERC README tables 1, 2 "
        "and 5. Two zero-shot values (0.753 and 2.774) are printed with three decimals, unlike the rest, so "
        "their scale is doubtful."),
    "emorynlp-erc": dict(
        name="EmoryNLP emotion recognition in conversation", task="emotion-recognition-in-conversation",
        metrics=["weighted-f1"],
        description="Emotion recognition in conversation on EmoryNLP, from the InstructERC README tables 1, 2 and 5."),
    "erc-average": dict(
        name="Average of IEMOCAP, MELD and EmoryNLP", datasets=["iemocap", "meld"],
        task="emotion-recognition-in-conversation", metrics=["weighted-f1"],
        description="The InstructERC README's average over its three conversation datasets. Table 1 and "
        "Table 2 give different numbers for the same LoRA Llama row; both are kept."),
    "mmla-benchmark": dict(
        name="MMLA", task="multimodal-language-analysis", metrics=["accuracy"],
        description="The two MMLA README leaderboards, zero-shot inference and supervised fine-tuning or "
        "instruction tuning, on one board. The README does not say how the single accuracy aggregates its six "
        "dimensions; model spellings differ between the two tables and are kept as printed."),
    "faba-instruct-benchmark": dict(
        name="FABA-Instruct", datasets=["faba-instruct"], task="emotion-recognition", split="test", paper="emola", metrics=["s-rege", "s-re", "s-ge"],
        description="Facial affective behaviour analysis on the FABA-Instruct test set, emotion and action-unit "
        "tasks, from the EmoLA README (which says results should be close to these)."),
    "mer2024-mer-noise": dict(
        name="MER2024 MER-NOISE", datasets=["mer2024"], task="emotion-recognition", split="MER-NOISE",
        metrics=["waf", "f1"],
        description="The MER2024 noise-robustness track: the challenge ranking of teams, whose header says only "
        "'Score' (the citation abstract calls it a weighted average F-score), and Emotion-LLaMA's own F1 from "
        "the same README's prose."),
    "mer2023-mer-semi": dict(
        name="MER2023 MER-SEMI", datasets=["mer2023"], task="emotion-recognition", split="MER-SEMI",
        metrics=["f1", "accuracy", "precision", "recall"],
        description="The MER2023 table of the Emotion-LLaMA README and the evaluation output it commits. The "
        "README names no split; its evaluation command targets MER2023-SEMI."),
    "emer-benchmark": dict(
        name="EMER", task="emotion-reasoning", metrics=["clue-overlap", "label-overlap"],
        description="Explainable multimodal emotion reasoning scores from the Emotion-LLaMA README, following "
        "the AffectGPT scoring script."),
}
KEPT_METRICS = {
    "dfec": ["correctness", "detail", "context", "temporal", "cider", "rouge-l", "autodq"],
    "emobench-m": ["emobench-avg", "emobench-fer", "emobench-ceu", "emobench-scea"],
}
SCALE = {"0-100": "0-100", "0-1": "0-1", "0-5": "0-5", "0-10": "0-10"}
SUITE = dict(
    name="MER-UniBench", task="emotion-recognition", metrics=["fs", "hit-rate", "waf"],
    description="The MER-UniBench evaluation suite of nine subsets: fine-grained emotions (OV-MERD+), basic "
    "emotions (MER2023, MER2024, IEMOCAP, MELD) and sentiment (CMU-MOSI, CMU-MOSEI, CH-SIMS, CH-SIMS v2). Each "
    "subset is its own benchmark.")
ADDED = "2026-12-01"


def parse_name(printed: str) -> tuple[str, list[str], str | None]:
    """Split 'HuBERT [A]' into ('HuBERT', ['audio'], None); an MMLA TYPE column goes to the note."""
    match = re.fullmatch(r"(.*?) \[([A-Z, ]+)\]", printed)
    if not match:
        return printed, [], None
    base, inside = match.groups()
    if inside in ("LLM", "MLLM"):
        return base, [], f"TYPE column: {inside}"
    letters = [part.strip() for part in inside.replace("AV", "A, V").split(",")]
    order = ("text", "image", "audio", "video")
    return base, sorted({MODALITY[letter] for letter in letters}, key=order.index), None


def subject(old_id: str, printed: str) -> dict[str, Any]:
    """The model id (or baseline), variant, modalities, regime, note for a printed name."""
    out: dict[str, Any] = {}
    if printed.startswith("team: "):
        return {"baseline": printed.removeprefix("team: "), "regime": "challenge-ranking"}
    if match := DISCRIMINANT.match(printed):
        return {"baseline": match.group(1), "note": "discriminant model (InstructERC README group)"}
    if match := INSTRUCTERC.match(printed):
        backbone, how = match.groups()
        variant = f"{backbone} backbone" + {"Zero-shot": "", "LoRA": ", LoRA", "All parameters": ", all parameters"}[how]
        regime = "zero-shot" if how == "Zero-shot" else "fine-tuned"
        return {"model_id": "instructerc-model", "variant": variant, "regime": regime}
    if match := INSTRUCTERC_T5.match(printed):
        return {"model_id": "instructerc-model", "variant": f"LoRA, {match.group(1)}", "regime": "fine-tuned",
                "note": "backbone not named in this table"}
    if old_id.startswith("mmla") and (match := MMLA.match(printed)):
        base, how = match.group("name"), match.group("how")
        model_id, variant = NAMES[base] or (None, None)
        out = {"model_id": model_id, "variant": ", ".join(v for v in (variant, how) if v) or None,
               "note": f"TYPE column: {match.group('type')}"}
        out["regime"] = "fine-tuned" if how else "zero-shot"
        return out
    base, modalities, note = parse_name(printed)
    found = NAMES[base]
    if found is None:
        out = {"baseline": base, "note": NOTES.get(base)}
    else:
        out = {"model_id": found[0], "variant": found[1], "note": NOTES.get(base)}
    out["modalities"] = modalities
    if note:
        out["note"] = note
    return out


def protocol(old_id: str, setting: str | None) -> dict[str, Any]:
    """Regime, split, table and note from the old free-text setting."""
    if setting is None:
        return {}
    if match := TABLE_SPLIT.match(setting):
        table, fraction = match.groups()
        return {"table": table.replace("Table ", "Table"), "fraction": fraction}
    return {
        "in-distribution (⬤)": {"regime": "in-distribution", "note": "marked in-distribution (⬤)"},
        "out-of-distribution (△)": {"regime": "out-of-distribution", "note": "marked out-of-distribution (△)"},
        "zero-shot": {"regime": "zero-shot", "note": "given in the README's prose"},
        "MER-NOISE": {"note": "given in the README's prose"},
        "MER-NOISE (challenge ranking)": {"table": "MER2024 MER-NOISE ranking"},
        "SFT or instruction tuning (README leaderboard)": {"table": "Rank of Supervised Fine-tuning (SFT) and Instruction Tuning (IT)"},
        "zero-shot inference (README leaderboard)": {"table": "Rank of Zero-shot Inference"},
        "FABA-Instruct test set (README: results 'should be close to')": {},
        "unspecified (README eval command targets MER2023-SEMI)": {"table": "MER2023 Challenge"},
        "eval output file (834 samples in its confusion matrix)": {"note": "evaluation output file; its confusion matrix sums to 834 samples"},
        "FER": {}, "CEU": {}, "SCEA": {}, "Avg.": {},
    }[setting]


def convert(old_id: str, old: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    scales = {m["name"]: m.get("scale") for m in old.get("metrics", [])}
    who = subject(old_id, result["model"])
    how = protocol(old_id, result.get("setting"))
    fraction = how.pop("fraction", None)
    if fraction:
        who["variant"] = f"{who['variant']}, training-data fraction {fraction}"
    notes = [n for n in (who.pop("note", None), how.pop("note", None)) if n]
    if old_id.startswith("faba-instruct-"):
        how["split"] = "emotion" if old_id.endswith("emotion") else "action units"
    if old_id == "mer2024-mer-noise-challenge":
        notes = ["team of the challenge ranking"]
    if old_id == "iemocap-instructerc" and str(result["value"]) in ("0.753", "2.774"):
        notes.append("printed with three decimals, unlike the other cells; scale doubtful")
    new: dict[str, Any] = {k: v for k, v in who.items() if v not in (None, [])}
    new["as_printed"] = result["model"]
    new.update({k: v for k, v in how.items() if v})
    new["metric"] = METRIC[result["metric"]]
    new["value"] = result["value"]
    scale = scales.get(result["metric"])
    if scale:
        new["scale"] = SCALE[scale]
    if notes:
        new["note"] = "; ".join(notes)
    new["source"] = result["source"]
    return new


def main(root: Path) -> None:
    folder = root / "benchmarks"
    old = {path.stem: read(path) for path in sorted(folder.glob("*.yaml"))}
    new: dict[str, dict[str, Any]] = {}
    for old_id, data in old.items():
        target = TARGET.get(old_id, old_id)
        if target in BENCHMARKS:
            entry = new.setdefault(target, {**BENCHMARKS[target], "results": [], "added": ADDED})
            if data.get("paper") and not entry.get("paper"):  # the paper that defines the benchmark carries over
                entry["paper"] = data["paper"]
        else:
            entry = new.setdefault(target, {k: v for k, v in data.items() if k not in ("metrics", "results")})
            entry["metrics"] = KEPT_METRICS.get(old_id) or [METRIC[m["name"]] for m in data.get("metrics", [])]
            entry["results"] = []
            if old_id in UNIBENCH:
                entry["suite"] = "mer-unibench"
        entry["results"].extend(convert(old_id, data, r) for r in data.get("results", []))
    new["mer-unibench"] = {**SUITE, "added": ADDED}
    for path in folder.glob("*.yaml"):
        path.unlink()
    for entry_id, data in sorted(new.items()):
        bench = Benchmark.model_validate(data)
        (folder / f"{entry_id}.yaml").write_text(dump_entry(bench), encoding="utf-8")
        print(f"{entry_id}: {len(bench.results)} results")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "catalog"))
