"""PyTorch side of the UNet training-step benchmark: the same model, data and optimizer as UNetStep.cs.

Usage: unet_step.py THREADS WARMUP STEPS
Prints one line per measured step: the step time in seconds.
"""
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class DoubleConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, padding=1, bias=False)
        self.n1 = nn.GroupNorm(1, cout)
        self.c2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.n2 = nn.GroupNorm(1, cout)

    def forward(self, x):
        x = F.relu(self.n1(self.c1(x)))
        return F.relu(self.n2(self.c2(x)))


class UNet(nn.Module):
    def __init__(self, features=(32, 64, 128)):
        super().__init__()
        self.downs = nn.ModuleList()
        cin = 1
        for f in features:
            self.downs.append(DoubleConv(cin, f))
            cin = f
        self.ups = nn.ModuleList()
        self.up_convs = nn.ModuleList()
        for f in reversed(features[:-1]):
            self.ups.append(nn.ConvTranspose2d(cin, f, 2, stride=2))
            self.up_convs.append(DoubleConv(2 * f, f))
            cin = f
        self.out = nn.Conv2d(cin, 1, 1)

    def forward(self, x):
        skips = []
        for i, down in enumerate(self.downs):
            if i > 0:
                x = F.max_pool2d(x, 2)
            x = down(x)
            skips.append(x)
        skips.pop()
        for up, conv in zip(self.ups, self.up_convs):
            x = up(x)
            x = conv(torch.cat([skips.pop(), x], dim=1))
        return self.out(x)


def main():
    threads, warmup, steps = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = UNet()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(1)
    x = torch.randn(8, 1, 64, 64, generator=g)
    target = torch.randn(8, 1, 64, 64, generator=g)
    for i in range(warmup + steps):
        start = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = F.l1_loss(model(x), target)
        loss.backward()
        opt.step()
        loss.item()
        elapsed = time.perf_counter() - start
        if i >= warmup:
            print(f"{elapsed:.6f}", flush=True)


if __name__ == "__main__":
    main()
