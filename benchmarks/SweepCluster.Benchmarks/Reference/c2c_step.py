"""PyTorch side of the C2C training-step benchmark: the same model, losses, measurements and optimizer
as SweepCluster's C2CTrainer.TrainStep for the default trial configuration (docs/trial-config.md):
shared decoders, concat skips, use_source_skip, l1 losses, weights content 1 / recon 0.5 / cross 1 /
edge 0 (edge still computed, as the trainer reports it), Adam, gradient clipping at 1.0.

Usage: c2c_step.py REFERENCE_DIR THREADS WARMUP STEPS IMAGE FEATURES LATENT BATCH
REFERENCE_DIR holds c2c_reference.py (the independent implementation used by the parity tests).
Prints one line per measured step: the step time in seconds.
"""
import sys
import time

sys.path.insert(0, sys.argv[1])

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from c2c_reference import Model, sobel  # noqa: E402


def main():
    threads, warmup, steps = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    image, features, latent, batch = int(sys.argv[5]), [int(f) for f in sys.argv[6].split(",")], int(sys.argv[7]), int(sys.argv[8])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    p = {
        "channels": 1, "enc_features": features, "dec_features": list(reversed(features)), "latent": latent,
        "architecture": "shared", "noise_channels": 0, "skip_mode": "concat", "skip_weight": 1.0,
        "identity": False, "same_domain_use_skip": True, "strategy": "use_source_skip", "mixed_alpha": 0.5,
    }
    model = Model(p)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(1)
    xa = torch.rand(batch, 1, image, image, generator=g)
    xb = torch.rand(batch, 1, image, image, generator=g)
    groups = {"encoder": ("encoder",), "decoder_a": ("decoder_a",), "decoder_b": ("decoder_b",)}
    for i in range(warmup + steps):
        start = time.perf_counter()
        for group in opt.param_groups:
            group["lr"] = 1e-3
        model.train()
        ea, eb, ar, br, afb, bfa = model(xa, xb)
        content = F.l1_loss(ea[0], eb[0])
        recon = F.l1_loss(ar, xa) + F.l1_loss(br, xb)
        cross = F.l1_loss(afb, xa) + F.l1_loss(bfa, xb)
        edge = sum(F.l1_loss(sobel(o), sobel(t)) for o, t in ((ar, xa), (br, xb), (afb, xa), (bfa, xb)))
        total = content * 1.0 + recon * 0.5 + cross * 1.0 + edge * 0.0
        opt.zero_grad(set_to_none=True)
        total.backward()
        metrics = [content.item(), recon.item(), cross.item(), edge.item(), total.item(),
                   (ea[0] - eb[0]).abs().mean().item()]
        with torch.no_grad():
            for names in groups.values():
                sq = [prm.grad.square().sum() for name, prm in model.named_parameters()
                      if name.split(".")[0] in names and prm.grad is not None]
                metrics.append(torch.stack(sq).sum().sqrt().item())
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        elapsed = time.perf_counter() - start
        if i >= warmup:
            print(f"{elapsed:.6f}", flush=True)


if __name__ == "__main__":
    main()
