"""Independent reference for the op parity tests: PyTorch computes each case from the same inputs.

Usage: ops_reference.py INPUTS.pt OUTPUTS.pt
INPUTS maps case name -> {"inputs": {name: tensor}, "weight": tensor}. For each case the script
computes out = f(inputs), then backpropagates sum(out * weight) and writes
{case: {"out": out, "grad.<name>": grad}} for every input that requires a gradient.
"""
import sys

import torch
import torch.nn.functional as F

CASES = {
    "add": lambda t: t["x"] + t["y"],
    "sub": lambda t: t["x"] - t["y"],
    "mul": lambda t: t["x"] * t["y"],
    "div": lambda t: t["x"] / (t["y"].abs() + 0.5),
    "scalar_ops": lambda t: (2.5 - t["x"]) * 3.0 + t["x"] / 4.0 - 1.0 / (t["x"].abs() + 1.0),
    "abs": lambda t: t["x"].abs(),
    "pow": lambda t: (t["x"].abs() + 0.1).pow(1.7),
    "pow_tensor": lambda t: (t["x"].abs() + 0.1).pow(t["y"]),
    "sqrt": lambda t: (t["x"].abs() + 0.1).sqrt(),
    "exp": lambda t: t["x"].exp(),
    "log": lambda t: (t["x"].abs() + 0.1).log(),
    "clamp": lambda t: t["x"].clamp(-0.5, 0.7),
    "sum_dims": lambda t: t["x"].sum(dim=(1, 2), keepdim=True),
    "mean_dims": lambda t: t["x"].mean(dim=(0, 2)),
    "max_all": lambda t: t["x"].amax(),
    "min_dim": lambda t: t["x"].amin(dim=1),
    "std_dim": lambda t: t["x"].std(dim=2),
    "std_biased": lambda t: t["x"].std(unbiased=False),
    "matmul": lambda t: t["a"] @ t["b"],
    "reshape_permute": lambda t: t["x"].reshape(4, 6).permute(1, 0) * 2.0,
    "narrow_cat_stack": lambda t: torch.cat([t["x"].narrow(2, 1, 2), torch.stack([t["x"][:, :, 0], t["x"][:, :, 3]], dim=2)], dim=2),
    "pad_reflect": lambda t: F.pad(t["img"], (1, 2, 2, 1), mode="reflect"),
    "pad_constant": lambda t: F.pad(t["img"], (1, 1, 0, 2), value=0.5),
    "conv2d": lambda t: F.conv2d(t["img"], t["w"], t["b"], stride=1, padding=1),
    "conv2d_stride": lambda t: F.conv2d(t["img"], t["w"], None, stride=2, padding=0),
    "conv_transpose2d": lambda t: F.conv_transpose2d(t["img"], t["wt"], t["bt"], stride=2),
    "max_pool2d": lambda t: F.max_pool2d(t["img"], 2),
    "avg_pool2d": lambda t: F.avg_pool2d(t["img"], 2),
    "interp_nearest": lambda t: F.interpolate(t["img"], size=(10, 14), mode="nearest"),
    "interp_bilinear": lambda t: F.interpolate(t["img"], size=(11, 7), mode="bilinear", align_corners=False),
    "interp_bilinear_scale": lambda t: F.interpolate(t["img"], scale_factor=2.0, mode="bilinear", align_corners=False),
    "group_norm": lambda t: F.group_norm(t["img"], 1, t["gw"], t["gb"]),
    "group_norm_groups": lambda t: F.group_norm(t["img4"], 2, t["gw4"], t["gb4"]),
    "batch_norm_train": lambda t: F.batch_norm(t["img"], torch.zeros(3), torch.ones(3), t["gw"], t["gb"], training=True),
    "relu": lambda t: F.relu(t["x"]),
    "leaky_relu": lambda t: F.leaky_relu(t["x"], 0.2),
    "sigmoid": lambda t: torch.sigmoid(t["x"]),
    "tanh": lambda t: torch.tanh(t["x"]),
    "linear": lambda t: F.linear(t["a"], t["lw"], t["lb"]),
    "l1_loss": lambda t: F.l1_loss(t["x"], t["y2"]),
    "mse_loss": lambda t: F.mse_loss(t["x"], t["y2"]),
    "mse_loss_sum": lambda t: F.mse_loss(t["x"], t["y2"], reduction="sum"),
    "bce_logits": lambda t: F.binary_cross_entropy_with_logits(t["x"], t["p"]),
}


def main():
    cases = torch.load(sys.argv[1])
    results = {}
    for name, case in cases.items():
        inputs = {k: v.clone().requires_grad_(True) for k, v in case["inputs"].items()}
        out = CASES[name](inputs)
        (out * case["weight"]).sum().backward()
        entry = {"out": out.detach()}
        for k, v in inputs.items():
            if v.grad is not None:
                entry["grad." + k] = v.grad
        results[name] = entry
    torch.save(results, sys.argv[2])


if __name__ == "__main__":
    main()
