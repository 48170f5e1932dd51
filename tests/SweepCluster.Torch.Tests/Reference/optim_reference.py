"""Reference for optimizer parity: PyTorch's optimizer stepped on the same parameters and gradients.

Usage: optim_reference.py IN.pt OUT.pt
IN: {"kind": str, "lr": float, "params": [t...], "grads": [[t...] per step], "options": {...},
     "resume_state": optimizer state dict or None, "cosine": [total, min_lr] or None}
OUT: {"params": [t...] after all steps, "state": optimizer.state_dict(), "lrs": [lr per step]}
"""
import sys

import torch

spec = torch.load(sys.argv[1])
params = [p.clone().requires_grad_(True) for p in spec["params"]]
o = spec["options"]
kind = spec["kind"]
if kind == "adam":
    opt = torch.optim.Adam(params, lr=spec["lr"], betas=(o["beta1"], o["beta2"]), eps=o["eps"], weight_decay=o["weight_decay"])
elif kind == "adamw":
    opt = torch.optim.AdamW(params, lr=spec["lr"], betas=(o["beta1"], o["beta2"]), eps=o["eps"], weight_decay=o["weight_decay"])
else:
    opt = torch.optim.SGD(params, lr=spec["lr"], momentum=o["momentum"], dampening=o["dampening"],
                          weight_decay=o["weight_decay"], nesterov=o["nesterov"])
if spec["resume_state"] is not None:
    opt.load_state_dict(spec["resume_state"])
sched = None
if spec["cosine"] is not None:
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=int(spec["cosine"][0]), eta_min=spec["cosine"][1])
lrs = []
for grads in spec["grads"]:
    for p, g in zip(params, grads):
        p.grad = g.clone()
    lrs.append(opt.param_groups[0]["lr"])
    opt.step()
    if sched is not None:
        sched.step()
torch.save({"params": [p.detach() for p in params], "state": opt.state_dict(), "lrs": lrs}, sys.argv[2])
