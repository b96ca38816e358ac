"""The runtimes measured by eval.runtimes, one class each: load, greedy token ids, the
yes/no logit, and what kernels the runtime reports."""

from __future__ import annotations

import json
import os
import queue
import threading
from pathlib import Path


class Backend:
    """load in __init__; `tokens(ids, max_new)` yields greedy token ids (a generator:
    closing it stops the runtime); `yes_no(ids)` the logit of "Yes" minus "No"."""

    def __init__(self, work: Path, meta: dict, threads: int, variant: str):
        self.work, self.meta, self.threads, self.variant = work, meta, threads, variant
        self.eos = set(meta["eos"])
        self.prefix = meta["static_prefix"]

    def info(self) -> dict:
        return {}

    def yes_no(self, ids: list[int]) -> float | None:
        return None


class HF(Backend):
    """transformers: float32 greedy (the reference), or today's decoder (int8/bf16)."""

    def __init__(self, *a):
        super().__init__(*a)
        import torch
        torch.set_num_threads(self.threads)
        if self.variant == "f32":
            from transformers import AutoModelForCausalLM
            self.model = AutoModelForCausalLM.from_pretrained(
                self.meta["hf_folder"], dtype=torch.float32, local_files_only=True).eval()
        else:
            from qa.generators.hf import TransformersGenerator
            from qa.settings import get_settings
            self.gen = TransformersGenerator(model=get_settings().generator,
                                             cache_dir=get_settings().model_cache_dir,
                                             threads=self.threads, precision=self.variant)

    def info(self):
        import torch
        return {"torch": torch.__version__, "aten_cpu_capability":
                torch.backends.cpu.get_cpu_capability(), "mkldnn": torch.backends.mkldnn.is_available()}

    def tokens(self, ids, max_new):
        if self.variant != "f32":
            for step in self.gen._decoder.tokens(ids, max_new):
                yield from step
            return
        import torch
        from transformers import DynamicCache
        cache, x = DynamicCache(config=self.model.config), torch.tensor([ids])
        with torch.inference_mode():
            for _ in range(max_new):
                out = self.model(input_ids=x, past_key_values=cache, use_cache=True)
                t = int(out.logits[0, -1].argmax())
                if t in self.eos:
                    return
                yield t
                x = torch.tensor([[t]])

    def yes_no(self, ids):
        y, n = self.meta["yes_no"]
        if self.variant != "f32":
            a, b = self.gen._decoder.next_logits(ids, [y, n])
            return a - b
        import torch
        with torch.inference_mode():
            lg = self.model(input_ids=torch.tensor([ids])).logits[0, -1].float()
        return float(lg[y] - lg[n])


class CT2(Backend):
    """CTranslate2; the shared system prefix goes in as `static_prompt` (cached)."""

    def __init__(self, *a):
        super().__init__(*a)
        import ctranslate2
        from tokenizers import Tokenizer
        folder = self.work / "models" / "ct2-int8"
        self.tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.ct2 = ctranslate2
        self.gen = ctranslate2.Generator(str(folder), device="cpu", intra_threads=self.threads,
                                         compute_type=self.variant)
        self.end = [self.tok.id_to_token(i) for i in sorted(self.eos)]

    def info(self):
        return {"ctranslate2": self.ct2.__version__, "compute_type": self.gen.compute_type,
                "supported": sorted(self.ct2.get_supported_compute_types("cpu"))}

    def _split(self, ids):
        toks = [self.tok.id_to_token(i) for i in ids]
        n = len(self.prefix)
        if n and ids[:n] == self.prefix and len(ids) > n:
            return toks[:n], toks[n:]
        return None, toks

    def tokens(self, ids, max_new):
        static, rest = self._split(ids)
        kw = {"static_prompt": static} if static else {}
        for step in self.gen.generate_tokens(rest, max_length=max_new, sampling_topk=1,
                                             end_token=self.end, **kw):
            if step.token_id in self.eos:
                return
            yield step.token_id

    def yes_no(self, ids):
        import numpy as np
        static, rest = self._split(ids)
        kw = {"static_prompt": static} if static else {}
        r = self.gen.generate_batch([rest], max_length=1, sampling_topk=1,
                                    return_logits_vocab=True, include_prompt_in_result=False,
                                    **kw)[0]
        lg = np.asarray(r.logits[0]).reshape(-1)
        y, n = self.meta["yes_no"]
        return float(lg[y] - lg[n])


class ORTGenAI(Backend):
    """ONNX Runtime GenAI; one generator kept across prompts, rewound to the shared
    prefix (`rewind_to`) so the system prompt is read once."""

    def __init__(self, *a):
        super().__init__(*a)
        import onnxruntime_genai as og
        self.og = og
        cfg = og.Config(str(self.work / "models" / f"ortgenai-{self.variant}"))
        cfg.overlay(json.dumps({"model": {"decoder": {"session_options": {
            "intra_op_num_threads": self.threads, "inter_op_num_threads": 1}}}}))
        self.model = og.Model(cfg)
        self.g, self.seq = None, []

    def info(self):
        try:
            import onnxruntime as ort
            prov = ort.get_available_providers()
        except ImportError:
            prov = None
        return {"onnxruntime_genai": self.og.__version__, "providers": prov,
                "isa": "MLAS picks kernels by cpuid; no switch restricts it"}

    def _start(self, ids):
        """A generator holding `ids` minus the last token (read by the caller)."""
        shared = len(os.path.commonprefix([self.seq, ids[:-1]]))
        if self.g is None or shared == 0:
            p = self.og.GeneratorParams(self.model)
            p.set_search_options(do_sample=False, max_length=4096, batch_size=1)
            self.g, self.seq = self.og.Generator(self.model, p), []
            shared = 0
        elif shared < len(self.seq):
            self.g.rewind_to(shared)
        self.g.append_tokens(ids[shared:])
        self.seq = list(ids)

    def tokens(self, ids, max_new):
        self._start(ids)
        try:
            for _ in range(max_new):
                self.g.generate_next_token()
                t = int(self.g.get_next_tokens()[0])
                self.seq.append(t)
                if t in self.eos:
                    return
                yield t
        finally:
            self.seq = self.seq[: self.g.token_count()]

    def yes_no(self, ids):
        self._start(ids)
        lg = self.g.get_logits().reshape(-1)
        y, n = self.meta["yes_no"]
        return float(lg[y] - lg[n])


class OV(Backend):
    """OpenVINO GenAI LLMPipeline on token ids; a streamer receives the tokens and can
    stop generation (StreamingStatus.CANCEL)."""

    def __init__(self, *a):
        super().__init__(*a)
        import openvino as ov
        import openvino_genai as g
        self.ov, self.g = ov, g
        path = (next((self.work / "models" / "gguf").glob("*.gguf")) if self.variant == "gguf"
                else self.work / "models" / f"ov-{self.variant}")
        self.path, self.req = path, None
        self.pipe = g.LLMPipeline(str(path), "CPU", INFERENCE_NUM_THREADS=self.threads)

    def info(self):
        c = self.ov.Core()
        return {"openvino": self.ov.__version__,
                "capabilities": c.get_property("CPU", "OPTIMIZATION_CAPABILITIES"),
                "precision_hint": str(c.get_property("CPU", "INFERENCE_PRECISION_HINT"))}

    def tokens(self, ids, max_new):
        g, q, stop = self.g, queue.Queue(), threading.Event()

        class S(g.StreamerBase):
            def write(self, token):
                for t in token if isinstance(token, list) else [token]:
                    q.put(int(t))
                return g.StreamingStatus.CANCEL if stop.is_set() else g.StreamingStatus.RUNNING

            def end(self):
                q.put(None)

        cfg = g.GenerationConfig(max_new_tokens=max_new, do_sample=False)
        cfg.stop_token_ids = set(self.eos)
        inp = g.TokenizedInputs(self.ov.Tensor([ids]), self.ov.Tensor([[1] * len(ids)]))
        err = []

        def run():
            try:
                self.pipe.generate(inp, cfg, S())
            except Exception as e:  # noqa: BLE001
                err.append(e)
            q.put(None)

        th = threading.Thread(target=run, daemon=True)
        th.start()
        try:
            while (t := q.get()) is not None and t not in self.eos:
                yield t
        finally:
            stop.set()
            th.join()
        if err:
            raise err[0]


    def yes_no(self, ids):
        """LLMPipeline gives no logits: the IR's stateful model, compiled a second time."""
        import numpy as np
        if self.variant == "gguf":
            return None
        if self.req is None:
            m = self.ov.Core().compile_model(str(self.path / "openvino_model.xml"), "CPU",
                                             {"INFERENCE_NUM_THREADS": self.threads})
            self.req = m.create_infer_request()
        n = len(ids)
        self.req.reset_state()
        self.req.infer({"input_ids": np.array([ids], np.int64),
                        "attention_mask": np.ones((1, n), np.int64),
                        "position_ids": np.arange(n, dtype=np.int64)[None],
                        "beam_idx": np.zeros(1, np.int32)})
        lg = self.req.get_output_tensor(0).data[0, -1]
        y, no = self.meta["yes_no"]
        return float(lg[y] - lg[no])


class Llama(Backend):
    """llama.cpp (llama-cpp-python) on the packaged GGUF; `generate` reuses the KV cache
    of the longest prefix shared with the previous prompt."""

    def __init__(self, *a):
        super().__init__(*a)
        import llama_cpp
        import llama_cpp.llama_cpp as lib
        self.lc = llama_cpp
        # "q8": the packaged GGUF converted to Q8_0, as the product's llama.cpp backend
        # runs it (qa/generators/llamacpp.py), in <work>/models/gguf-q8_0/
        folder = "gguf-q8_0" if self.variant == "q8" else "gguf"
        gguf = next((self.work / "models" / folder).glob("*.gguf"))
        default = lib.llama_model_default_params

        def params():  # "norepack": no extra buffer types (AMX, CPU_REPACK), which
            p = default()  # Llama() does not expose; its AMX path segfaults on this file
            p.use_extra_bufts = False
            return p

        lib.llama_model_default_params = params if self.variant == "norepack" else default
        try:
            self.llm = llama_cpp.Llama(str(gguf), n_ctx=4096, n_batch=512, verbose=False,
                                       n_threads=self.threads, n_threads_batch=self.threads)
        finally:
            lib.llama_model_default_params = default

    def info(self):
        return {"llama_cpp_python": self.lc.__version__,
                "system_info": self.lc.llama_print_system_info().decode()}

    def _gen(self, ids):
        return self.llm.generate(ids, top_k=1, top_p=1.0, min_p=0.0, temp=0.0,
                                 repeat_penalty=1.0, reset=True)

    def tokens(self, ids, max_new):
        g = self._gen(ids)
        try:
            for _, t in zip(range(max_new), g, strict=False):
                if t in self.eos:
                    return
                yield t
        finally:
            g.close()

    def yes_no(self, ids):
        import numpy as np
        g = self._gen(ids)
        next(g)  # reads the prompt (reusing the cached prefix) and picks a token
        ptr = self.lc.llama_get_logits_ith(self.llm._ctx.ctx, -1)  # the last token's logits
        row = np.ctypeslib.as_array(ptr, shape=(self.llm.n_vocab(),)).copy()
        g.close()
        y, n = self.meta["yes_no"]
        return float(row[y] - row[n])


BACKENDS = {"hf-f32": (HF, "f32"), "hf-int8": (HF, "int8"), "hf-bf16": (HF, "bf16"),
            "ct2-int8": (CT2, "int8"),
            "ortgenai-int4": (ORTGenAI, "int4"), "ortgenai-int8": (ORTGenAI, "int8"),
            "ov-int8": (OV, "int8"),
            "ov-gguf": (OV, "gguf"), "llama-q4km": (Llama, "q4km"),
            "llama-q4km-norepack": (Llama, "norepack"), "llama-q8": (Llama, "q8")}

