"""The local diffusers backend: its placement decisions, its errors, and real generation.

The generation tests build a tiny, randomly initialised ``BriaFiboPipeline`` (the same component
classes as FIBO, with hidden sizes of 8-32 and one or two layers), save it with
``save_pretrained`` and load it back through the backend's own loading path. Nothing is
downloaded: the tokenizer is a byte-level BPE trained here on the presets' prompts, written to a
vocabulary and merges file and read back.
They need torch, diffusers and transformers (``pip install 'lightrig[local]'``), which ``make
test`` installs: they run everywhere the suite does, never skipped.
"""

from __future__ import annotations

import asyncio
import gc
import io
import json
import sys
import weakref
from pathlib import Path
from typing import Any

import pytest

from lightrig.backends.base import ASPECT_RATIOS, GenerationParams, ImageBackend
from lightrig.backends.diffusers_backend import INSTALL_HINT, DiffusersBackend
from lightrig.backends.diffusers_placement import (
    EDIT_PIPELINE_CLASS,
    OFFLOAD_BELOW_BYTES,
    PIPELINE_CLASS,
    check_local_folder,
    choose_device,
    choose_dtype,
    dtype_keyword,
    hub_offline,
    image_size,
    locate_model,
    scaled_size,
    should_offload,
)
from lightrig.config import DEFAULT_NEGATIVE_PROMPT, Settings
from lightrig.errors import FIBOGenerationError, InvalidLightingSetupError
from lightrig.fibo.compile import compile_prompt
from lightrig.models.scene import SceneRequest
from lightrig.presets import get_preset

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def settings_for(model: str | Path, *, device: str = "cpu", dtype: str = "float32") -> Settings:
    return Settings(diffusers_model=str(model), diffusers_device=device, diffusers_dtype=dtype)


# --- placement decisions --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requested", "cuda", "mps", "expected"),
    [
        ("auto", True, True, "cuda"),
        ("auto", True, False, "cuda"),
        ("auto", False, True, "mps"),
        ("auto", False, False, "cpu"),
        (" AUTO ", False, False, "cpu"),
        ("cpu", True, True, "cpu"),
        ("cuda", False, False, "cuda"),
        ("cuda:1", True, False, "cuda:1"),
        ("mps", False, False, "mps"),
        ("CUDA", True, False, "cuda"),
    ],
)
def test_choose_device(requested: str, cuda: bool, mps: bool, expected: str) -> None:
    assert choose_device(requested, cuda, mps) == expected


@pytest.mark.parametrize("requested", ["gpu", "", "cuda:", "cuda:x", "tpu", "cpu:0"])
def test_choose_device_rejects_unknown_names(requested: str) -> None:
    with pytest.raises(ValueError, match="unknown device"):
        choose_device(requested, True, True)


@pytest.mark.parametrize(
    ("requested", "device", "expected"),
    [
        ("auto", "cuda", "bfloat16"),
        ("auto", "cuda:1", "bfloat16"),
        ("auto", "mps", "float16"),
        ("auto", "cpu", "float32"),
        ("bfloat16", "cpu", "bfloat16"),
        ("float16", "cuda", "float16"),
        ("float32", "cuda", "float32"),
        ("Float32", "mps", "float32"),
    ],
)
def test_choose_dtype(requested: str, device: str, expected: str) -> None:
    assert choose_dtype(requested, device) == expected


@pytest.mark.parametrize("requested", ["fp8", "half", "int8", ""])
def test_choose_dtype_rejects_unknown_names(requested: str) -> None:
    with pytest.raises(ValueError, match="unknown dtype"):
        choose_dtype(requested, "cuda")


def test_offload_only_on_cuda_gpus_under_40_gb() -> None:
    gib = 2**30
    assert should_offload("cuda", 24 * gib)  # RTX 4090
    assert should_offload("cuda:1", 16 * gib)
    assert not should_offload("cuda", 80 * gib)  # H100
    assert not should_offload("cuda", 42_505_273_344)  # A100 40 GB: 42.5e9 bytes
    assert should_offload("cuda", OFFLOAD_BELOW_BYTES - 1)
    assert not should_offload("cuda", OFFLOAD_BELOW_BYTES)
    assert not should_offload("cuda", None)
    assert not should_offload("cpu", 8 * gib)
    assert not should_offload("mps", 8 * gib)


@pytest.mark.parametrize(
    ("aspect_ratio", "size", "expected"),
    [
        ("1:1", 512, (512, 512)),
        ("1:1", 1024, (1024, 1024)),
        ("16:9", 1024, (1024, 576)),
        ("9:16", 1024, (576, 1024)),
        ("3:2", 500, (496, 336)),  # 500 → 31.25 × 16 → 496; 333.3 → 20.8 × 16 → 336
        ("2:3", 64, (48, 64)),
        ("4:5", 8, (16, 16)),  # never under 16 px
        ("1:1", 24, (32, 32)),  # halves round up
        (" 4 : 3 ", 64, (64, 48)),
    ],
)
def test_image_size(aspect_ratio: str, size: int, expected: tuple[int, int]) -> None:
    assert image_size(aspect_ratio, size) == expected


@pytest.mark.parametrize("aspect_ratio", ASPECT_RATIOS)
@pytest.mark.parametrize("size", [64, 250, 512, 1000, 1024, 2048])
def test_image_size_keeps_the_ratio_in_multiples_of_16(aspect_ratio: str, size: int) -> None:
    width, height = image_size(aspect_ratio, size)
    assert width % 16 == 0
    assert height % 16 == 0
    assert min(width, height) >= 16
    ratio_w, ratio_h = (int(part) for part in aspect_ratio.split(":"))
    longest = max(ratio_w, ratio_h)
    assert abs(width - size * ratio_w / longest) <= 8  # each side is the nearest multiple
    assert abs(height - size * ratio_h / longest) <= 8


@pytest.mark.parametrize(("aspect_ratio", "size"), [("wide", 512), ("0:1", 512), ("1:1", 0)])
def test_image_size_rejects_nonsense(aspect_ratio: str, size: int) -> None:
    with pytest.raises(ValueError, match=r"aspect ratio|image size"):
        image_size(aspect_ratio, size)


@pytest.mark.parametrize(
    ("width", "height", "size", "expected"),
    [
        (160, 160, 64, (64, 64)),
        (160, 96, 64, (64, 32)),  # 38.4 px → 2.4 × 16 → 32
        (3000, 4000, 1024, (768, 1024)),
        (1920, 1080, 512, (512, 288)),
        (4000, 10, 512, (512, 16)),  # never under 16 px
    ],
)
def test_scaled_size_keeps_a_frame_s_shape(
    width: int, height: int, size: int, expected: tuple[int, int]
) -> None:
    assert scaled_size(width, height, size) == expected


@pytest.mark.parametrize(("width", "height", "size"), [(0, 10, 64), (10, 10, 0)])
def test_scaled_size_rejects_nonsense(width: int, height: int, size: int) -> None:
    with pytest.raises(ValueError, match=r"no shape|image size"):
        scaled_size(width, height, size)


@pytest.mark.parametrize(
    ("version", "keyword"),
    [
        ("0.36.0", "torch_dtype"),
        ("0.39.0", "torch_dtype"),
        ("0.40.0", "dtype"),
        ("0.42.1", "dtype"),
        ("0.43.0.dev0", "dtype"),
        ("1.0.0", "dtype"),
    ],
)
def test_dtype_keyword_follows_the_diffusers_version(version: str, keyword: str) -> None:
    assert dtype_keyword(version) == keyword


def test_hub_offline_reads_hf_hub_offline() -> None:
    assert hub_offline({"HF_HUB_OFFLINE": "1"})
    assert hub_offline({"HF_HUB_OFFLINE": "true"})
    assert hub_offline({"HF_HUB_OFFLINE": "YES"})
    assert not hub_offline({"HF_HUB_OFFLINE": "0"})
    assert not hub_offline({})


def test_locate_model_tells_hub_ids_from_folders(tmp_path: Path) -> None:
    assert not locate_model("briaai/FIBO").local
    assert locate_model("/models/fibo").local
    assert locate_model("./fibo").local
    assert locate_model("~/models/fibo").local
    assert locate_model("fibo").local  # a hub id has an owner
    assert locate_model("a/b/c").local
    existing = tmp_path / "owner" / "name"
    existing.mkdir(parents=True)
    assert locate_model(str(existing)).path == existing


def test_check_local_folder(tmp_path: Path) -> None:
    assert check_local_folder(tmp_path / "missing", PIPELINE_CLASS) == "the folder does not exist"
    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert check_local_folder(a_file, PIPELINE_CLASS) == "it is not a folder"
    assert "no model_index.json" in str(check_local_folder(tmp_path, PIPELINE_CLASS))
    (tmp_path / "model_index.json").write_text("{not json")
    assert "unreadable" in str(check_local_folder(tmp_path, PIPELINE_CLASS))
    (tmp_path / "model_index.json").write_text(json.dumps({"_class_name": "FluxPipeline"}))
    assert check_local_folder(tmp_path, PIPELINE_CLASS) == (
        "it holds a FluxPipeline, not a BriaFiboPipeline"
    )
    (tmp_path / "model_index.json").write_text(json.dumps({"_class_name": "BriaFiboPipeline"}))
    assert check_local_folder(tmp_path, PIPELINE_CLASS) is None
    assert check_local_folder(tmp_path, EDIT_PIPELINE_CLASS) == (
        "it holds a BriaFiboPipeline, not a BriaFiboEditPipeline"
    )
    (tmp_path / "model_index.json").write_text(json.dumps({"_class_name": EDIT_PIPELINE_CLASS}))
    assert check_local_folder(tmp_path, EDIT_PIPELINE_CLASS) is None


# --- errors and health without a pipeline ------------------------------------------------------


def scene() -> tuple[dict[str, Any], SceneRequest]:
    request = get_preset("rembrandt").request()
    return compile_prompt(request), request


def test_is_an_image_backend() -> None:
    backend = DiffusersBackend(settings_for("/nonexistent"))
    assert isinstance(backend, ImageBackend)
    assert backend.name == "diffusers"
    assert not backend.loaded


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-fibo"
    backend = DiffusersBackend(settings_for(missing))
    with pytest.raises(FIBOGenerationError) as caught:
        asyncio.run(backend.load())
    error = caught.value
    assert error.backend == "diffusers"
    assert not error.retryable
    assert str(error) == f"cannot load the FIBO pipeline from {str(missing)!r}: " + (
        "the folder does not exist"
    )
    prompt, request = scene()
    with pytest.raises(FIBOGenerationError, match="the folder does not exist"):
        asyncio.run(backend.generate(prompt, request, GenerationParams(seed=1)))


def test_health_of_a_missing_folder_is_unhealthy(tmp_path: Path) -> None:
    backend = DiffusersBackend(settings_for(tmp_path / "no-such-fibo"))
    health = asyncio.run(backend.health())
    assert health.status == "unhealthy"
    assert "the folder does not exist" in health.detail
    assert health.latency_ms >= 0.0
    assert health.extra["source"] == "local"
    assert health.extra["loaded"] is False


def write_model_index(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model_index.json").write_text(json.dumps({"_class_name": "BriaFiboPipeline"}))
    return folder


def test_missing_torch_says_to_install_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_model_index(tmp_path / "fibo")
    for module in ("torch", "diffusers"):
        monkeypatch.setitem(sys.modules, module, None)  # `import torch` now raises ImportError
    backend = DiffusersBackend(settings_for(folder))
    with pytest.raises(FIBOGenerationError) as caught:
        asyncio.run(backend.load())
    assert INSTALL_HINT in str(caught.value)
    assert INSTALL_HINT == "pip install 'lightrig[local]'"
    assert not caught.value.retryable
    health = asyncio.run(backend.health())
    assert health.status == "unhealthy"
    assert INSTALL_HINT in health.detail


def test_a_bad_aspect_ratio_fails_before_loading(tmp_path: Path) -> None:
    backend = DiffusersBackend(settings_for(tmp_path / "never-read"))
    prompt, request = scene()
    with pytest.raises(InvalidLightingSetupError, match="aspect_ratio: must be one of 1:1"):
        asyncio.run(backend.generate(prompt, request, GenerationParams(seed=1, aspect_ratio="x")))
    assert not backend.loaded


def test_closing_an_unloaded_backend_is_quiet(tmp_path: Path) -> None:
    backend = DiffusersBackend(settings_for(tmp_path / "never-read"))
    asyncio.run(backend.aclose())
    asyncio.run(backend.aclose())
    with pytest.raises(FIBOGenerationError, match="closed"):
        asyncio.run(backend.load())
    assert asyncio.run(backend.health()).status == "unhealthy"


# --- a tiny random BriaFiboPipeline, saved and loaded back ------------------------------------


def write_tokenizer(folder: Path) -> Any:
    """A byte-level BPE tokenizer trained here on the presets' prompts and saved to ``folder``.

    Any text encodes (every byte is in the vocabulary); the merges keep a prompt at about one
    token per word, as FIBO's own tokenizer does, so the tiny text encoder stays fast.
    """
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    from lightrig.fibo.compile import prompt_json
    from lightrig.presets import PRESETS

    specials = ["<|pad|>", "<|begin_of_text|>", "<|end_of_text|>"]
    trainer = trainers.BpeTrainer(
        vocab_size=2000,
        special_tokens=specials,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    learner = Tokenizer(models.BPE())
    learner.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    texts = [prompt_json(compile_prompt(preset.request())) for preset in PRESETS.values()]
    learner.train_from_iterator(texts, trainer=trainer)
    folder.mkdir(parents=True, exist_ok=True)
    vocab_file, merges_file = learner.model.save(str(folder))  # vocab.json and merges.txt

    tokenizer = Tokenizer(models.BPE.from_file(vocab_file, merges_file))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        pad_token="<|pad|>",
        bos_token="<|begin_of_text|>",
        eos_token="<|end_of_text|>",
    )


def build_tiny_fibo(folder: Path, pipeline_class: str = PIPELINE_CLASS) -> Path:
    """FIBO's five components at toy sizes, randomly initialised, put together as a
    ``pipeline_class`` (FIBO's, or FIBO-Edit's: the same components) and saved to ``folder``."""
    import diffusers
    import torch
    from diffusers import AutoencoderKLWan, FlowMatchEulerDiscreteScheduler
    from diffusers.models.transformers.transformer_bria_fibo import BriaFiboTransformer2DModel
    from transformers import SmolLM3Config, SmolLM3ForCausalLM

    text_hidden = 32
    torch.manual_seed(0)
    transformer = BriaFiboTransformer2DModel(
        patch_size=1,
        in_channels=16,  # the VAE's latent channels
        num_layers=1,
        num_single_layers=1,
        attention_head_dim=8,
        num_attention_heads=2,
        joint_attention_dim=2 * text_hidden,  # the pipeline joins the last two hidden states
        text_encoder_dim=text_hidden,
        axes_dims_rope=[0, 4, 4],  # sums to attention_head_dim
    )
    vae = AutoencoderKLWan(  # Wan 2.2 layout: residual blocks, 2 × 2 patches, 16× spatially
        base_dim=8,
        decoder_base_dim=8,
        z_dim=16,
        dim_mult=[1, 2, 4, 4],
        num_res_blocks=1,
        temperal_downsample=[False, True, True],
        is_residual=True,
        in_channels=12,
        out_channels=12,
        patch_size=2,
        scale_factor_spatial=16,
        scale_factor_temporal=4,
    )
    text_encoder = SmolLM3ForCausalLM(
        SmolLM3Config(
            hidden_size=text_hidden,
            intermediate_size=64,
            num_hidden_layers=2,
            num_attention_heads=2,
            num_key_value_heads=1,
            # the vocabulary keeps SmolLM3's size: the pipeline feeds token 128000 for an empty
            # negative prompt
        )
    )
    pipeline = getattr(diffusers, pipeline_class)(
        transformer=transformer,
        scheduler=FlowMatchEulerDiscreteScheduler(),
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=write_tokenizer(folder.parent / "tokenizer-files"),
    )
    pipeline.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def tiny_fibo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_fibo(tmp_path_factory.mktemp("fibo") / "tiny-fibo")


def decode_png(data: bytes) -> Any:
    from PIL import Image

    assert data.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


async def generate_many(
    backend: DiffusersBackend, *params: GenerationParams, prompt: dict[str, Any] | None = None
) -> list[bytes]:
    default_prompt, request = scene()
    images = [await backend.generate(prompt or default_prompt, request, p) for p in params]
    return [image.data for image in images]


def test_generates_a_png_through_the_real_loading_path(tiny_fibo: Path) -> None:
    backend = DiffusersBackend(settings_for(tiny_fibo))
    prompt, request = scene()
    params = GenerationParams(seed=7, steps=2, size=64, negative_prompt=DEFAULT_NEGATIVE_PROMPT)

    async def run() -> Any:
        assert not backend.loaded  # lazy: nothing is loaded before the first generation
        try:
            return await backend.generate(prompt, request, params)
        finally:
            await backend.aclose()

    result = asyncio.run(run())
    assert (result.media_type, result.seed, result.width, result.height) == ("image/png", 7, 64, 64)
    image = decode_png(result.data)
    assert image.format == "PNG"
    assert image.size == (64, 64)
    assert image.mode == "RGB"
    lo, hi = image.convert("L").getextrema()
    assert hi > lo  # a picture, not a flat fill


def test_seeds_decide_the_image(tiny_fibo: Path) -> None:
    backend = DiffusersBackend(settings_for(tiny_fibo))
    first, again, other = asyncio.run(
        generate_many(
            backend,
            GenerationParams(seed=11, steps=2, size=32),
            GenerationParams(seed=11, steps=2, size=32),
            GenerationParams(seed=12, steps=2, size=32),
        )
    )
    assert first == again
    assert first != other


def test_the_prompts_reach_the_model(tiny_fibo: Path) -> None:
    backend = DiffusersBackend(settings_for(tiny_fibo))
    prompt, _ = scene()
    other_prompt = compile_prompt(get_preset("split").request())
    plain = GenerationParams(seed=3, steps=2, size=32)
    negative = GenerationParams(seed=3, steps=2, size=32, negative_prompt=DEFAULT_NEGATIVE_PROMPT)
    base, with_negative = asyncio.run(generate_many(backend, plain, negative, prompt=prompt))
    (other,) = asyncio.run(generate_many(backend, plain, prompt=other_prompt))
    assert base != with_negative
    assert base != other


def test_aspect_ratio_and_size_set_the_image_shape(tiny_fibo: Path) -> None:
    backend = DiffusersBackend(settings_for(tiny_fibo))
    prompt, request = scene()
    params = GenerationParams(seed=1, steps=2, size=48, aspect_ratio="3:2")
    result = asyncio.run(backend.generate(prompt, request, params))
    assert (result.width, result.height) == (48, 32)
    assert decode_png(result.data).size == (48, 32)


def test_loads_on_the_chosen_device_and_dtype(tiny_fibo: Path) -> None:
    import torch

    backend = DiffusersBackend(settings_for(tiny_fibo, device="auto", dtype="bfloat16"))
    asyncio.run(backend.load())
    pipeline = backend.pipeline
    assert type(pipeline).__name__ == "BriaFiboPipeline"
    assert pipeline.transformer.dtype == torch.bfloat16  # an explicit dtype is honoured
    mps = torch.backends.mps.is_available()
    expected_device = choose_device("auto", torch.cuda.is_available(), mps)
    assert pipeline.device.type == expected_device  # the CPU on a machine without a GPU
    health = asyncio.run(backend.health())
    assert health.status == "healthy", health.detail
    assert health.extra["device"] == expected_device
    assert health.extra["dtype"] == "bfloat16"
    assert health.extra["cpu_offload"] is False
    assert health.extra["loaded"] is True
    assert "pipeline loaded" in health.detail


def test_bad_placement_settings_are_clear_errors(tiny_fibo: Path) -> None:
    import torch

    bad_dtype = DiffusersBackend(settings_for(tiny_fibo, dtype="int4"))
    health = asyncio.run(bad_dtype.health())
    assert health.status == "unhealthy"
    assert health.detail.startswith("invalid LIGHTRIG_DIFFUSERS_DTYPE: unknown dtype 'int4'")
    with pytest.raises(FIBOGenerationError, match="LIGHTRIG_DIFFUSERS_DTYPE"):
        asyncio.run(bad_dtype.load())
    if not torch.cuda.is_available():
        no_gpu = DiffusersBackend(settings_for(tiny_fibo, device="cuda"))
        with pytest.raises(FIBOGenerationError, match="torch sees no CUDA GPU") as caught:
            asyncio.run(no_gpu.load())
        assert not caught.value.retryable
        assert asyncio.run(no_gpu.health()).status == "unhealthy"


def test_health_of_a_loadable_folder_loads_nothing(tiny_fibo: Path) -> None:
    backend = DiffusersBackend(settings_for(tiny_fibo))
    health = asyncio.run(backend.health())
    assert health.status == "healthy", health.detail
    assert "ready to load" in health.detail
    assert health.extra["device"] == "cpu"
    assert health.extra["dtype"] == "float32"
    assert health.extra["torch"]
    assert health.extra["diffusers"]
    assert not backend.loaded


def test_one_pipeline_call_at_a_time_without_blocking_the_loop(tiny_fibo: Path) -> None:
    backend = DiffusersBackend(settings_for(tiny_fibo))
    prompt, request = scene()
    params = [GenerationParams(seed=seed, steps=2, size=32) for seed in (5, 6, 5)]
    ticks = 0

    async def ticker(done: asyncio.Event) -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            await asyncio.sleep(0.001)

    async def run() -> list[bytes]:
        done = asyncio.Event()
        ticking = asyncio.create_task(ticker(done))
        results = await asyncio.gather(*(backend.generate(prompt, request, p) for p in params))
        done.set()
        await ticking
        return [result.data for result in results]

    concurrent = asyncio.run(run())
    sequential = asyncio.run(generate_many(backend, *params))
    assert concurrent == sequential
    assert concurrent[0] == concurrent[2]
    assert ticks >= 5  # the loop ran while the pipeline loaded and generated


def test_a_cancelled_first_call_leaves_the_backend_usable(tiny_fibo: Path) -> None:
    prompt, request = scene()
    params = GenerationParams(seed=21, steps=2, size=32)
    (expected,) = asyncio.run(generate_many(DiffusersBackend(settings_for(tiny_fibo)), params))
    backend = DiffusersBackend(settings_for(tiny_fibo))

    async def run() -> bytes:
        first = asyncio.create_task(backend.generate(prompt, request, params))
        await asyncio.sleep(0)  # the first call is now loading in a worker thread
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        try:
            return (await backend.generate(prompt, request, params)).data
        finally:
            await backend.aclose()

    assert asyncio.run(run()) == expected
    assert not backend.loaded


def test_pipeline_failures_are_fibo_generation_errors(tiny_fibo: Path) -> None:
    backend = DiffusersBackend(settings_for(tiny_fibo))
    prompt, request = scene()
    with pytest.raises(FIBOGenerationError, match="the FIBO pipeline failed") as caught:
        asyncio.run(backend.generate(prompt, request, GenerationParams(seed=1, steps=0, size=32)))
    assert caught.value.backend == "diffusers"
    assert caught.value.__cause__ is not None


def test_aclose_frees_the_pipeline(tiny_fibo: Path) -> None:
    backend = DiffusersBackend(settings_for(tiny_fibo))
    asyncio.run(backend.load())
    pipeline_ref = weakref.ref(backend.pipeline)
    asyncio.run(backend.aclose())
    gc.collect()
    assert pipeline_ref() is None
    assert not backend.loaded
    prompt, request = scene()
    with pytest.raises(FIBOGenerationError, match="closed"):
        asyncio.run(backend.generate(prompt, request, GenerationParams(seed=1, steps=2, size=32)))


def test_an_uncached_hub_id_offline_is_a_clear_error(
    tiny_fibo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = "lightrig-tests/no-such-fibo"
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    online = asyncio.run(DiffusersBackend(settings_for(model)).health())
    assert online.status == "degraded"  # may be downloaded; health itself never downloads
    assert "not in the local Hugging Face cache" in online.detail

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    backend = DiffusersBackend(settings_for(model))
    offline = asyncio.run(backend.health())
    assert offline.status == "unhealthy"
    assert "HF_HUB_OFFLINE" in offline.detail
    with pytest.raises(FIBOGenerationError) as caught:
        asyncio.run(backend.load())
    message = str(caught.value)
    assert message.startswith(f"cannot load the FIBO pipeline from {model!r}: ")
    assert "HF_HUB_OFFLINE" in message
    assert not caught.value.retryable
