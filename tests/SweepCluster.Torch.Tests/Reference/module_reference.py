"""Reference for state files: PyTorch loads a state dict written by the binding, and writes one back.

Usage: module_reference.py OURS.pt INPUT.pt OUT.pt THEIRS.pt
Builds the same small network, loads OURS into it with strict load_state_dict, runs INPUT through it
and saves the output to OUT; then re-initialises the network with seed 5 and saves its state to THEIRS.
"""
import sys

import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 4, 3, padding=1, bias=False)
        self.norm = nn.GroupNorm(1, 4)
        self.bn = nn.BatchNorm2d(4)
        self.up = nn.ConvTranspose2d(4, 3, 2, stride=2)
        self.head = nn.Linear(3, 2)

    def forward(self, x):
        x = torch.relu(self.norm(self.conv(x)))
        x = self.up(self.bn(x))
        return self.head(x.mean(dim=(2, 3)))


net = Net()
state = torch.load(sys.argv[1])
net.load_state_dict(state, strict=True)
net.eval()
x = torch.load(sys.argv[2])["x"]
with torch.no_grad():
    torch.save({"y": net(x)}, sys.argv[3])
torch.manual_seed(5)
torch.save(Net().state_dict(), sys.argv[4])
