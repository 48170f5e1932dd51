"""Independent references for the complex layers, for ComplexLayersTests.

Usage: complex_layers_reference.py DIR
DIR holds params.json ({"conv": {"stride", "padding"}, "convt": {"stride"}}) and inputs.pt with, for "conv" or
"convt" or both, the parts of the weight ([out, in, k, k] or [in, out, k, k]), the bias, the input x and an upstream
gradient g, each as NAME_re / NAME_im float32 tensors. For the loss L = Re(sum(out * conj(g))) it writes DIR/outputs.pt:
the output and the gradients of L with respect to x, the weight and the bias, each as PyTorch's complex gradient
dL/dRe + i dL/dIm split into NAME_re / NAME_im.

conv: PyTorch's own complex64 nn.Conv2d and its autograd.
convt: PyTorch 1.13 has no complex transposed convolution on the CPU, so the definition is written out in complex128
NumPy: out[n, o, y*s + u, x*s + v] += x[n, i, y, x] * W[i, o, u, v] + b[o], and for this L the gradients are
dL/dx = sum conj(W) g, dL/dW = sum conj(x) g, dL/db = sum g.
"""
import json
import sys

import numpy as np
import torch
import torch.nn as nn


def cplx(inputs, name):
    return torch.complex(inputs[name + "_re"], inputs[name + "_im"])


def conv(inputs, p, out):
    w, b, x, g = (cplx(inputs, "conv." + n) for n in ("w", "b", "x", "g"))
    layer = nn.Conv2d(w.shape[1], w.shape[0], w.shape[2], stride=p["stride"], padding=p["padding"], dtype=torch.complex64)
    with torch.no_grad():
        layer.weight.copy_(w)
        layer.bias.copy_(b)
    x = x.clone().requires_grad_()
    y = layer(x)
    (y.real * g.real + y.imag * g.imag).sum().backward()
    for name, value in (("y", y.detach()), ("dx", x.grad), ("dw", layer.weight.grad), ("db", layer.bias.grad)):
        out["conv." + name + "_re"], out["conv." + name + "_im"] = value.real.contiguous(), value.imag.contiguous()


def convt(inputs, p, out):
    w, b, x, g = (cplx(inputs, "convt." + n).numpy().astype(np.complex128) for n in ("w", "b", "x", "g"))
    s = p["stride"]
    n_, cin, h, wd = x.shape
    cout, k = w.shape[1], w.shape[2]
    ho, wo = (h - 1) * s + k, (wd - 1) * s + k
    y = np.zeros((n_, cout, ho, wo), dtype=np.complex128) + b[None, :, None, None]
    dx = np.zeros_like(x)
    dw = np.zeros_like(w)
    for yy in range(h):
        for xx in range(wd):
            for u in range(k):
                for v in range(k):
                    oy, ox = yy * s + u, xx * s + v
                    # [n, i] x [i, o] -> [n, o]
                    y[:, :, oy, ox] += x[:, :, yy, xx] @ w[:, :, u, v]
                    dx[:, :, yy, xx] += g[:, :, oy, ox] @ np.conj(w[:, :, u, v]).T
                    dw[:, :, u, v] += np.conj(x[:, :, yy, xx]).T @ g[:, :, oy, ox]
    db = g.sum(axis=(0, 2, 3))
    for name, value in (("y", y), ("dx", dx), ("dw", dw), ("db", db)):
        out["convt." + name + "_re"] = torch.from_numpy(np.ascontiguousarray(value.real))
        out["convt." + name + "_im"] = torch.from_numpy(np.ascontiguousarray(value.imag))


def main():
    folder = sys.argv[1]
    p = json.load(open(f"{folder}/params.json"))
    inputs = torch.load(f"{folder}/inputs.pt")
    torch.set_num_threads(1)
    out = {}
    if "conv.w_re" in inputs:
        conv(inputs, p["conv"], out)
    if "convt.w_re" in inputs:
        convt(inputs, p["convt"], out)
    torch.save(out, f"{folder}/outputs.pt")


if __name__ == "__main__":
    main()
