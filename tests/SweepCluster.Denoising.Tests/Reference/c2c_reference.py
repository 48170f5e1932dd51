"""Independent PyTorch implementation of the C2C model and loss terms, for parity tests.

Usage: c2c_reference.py DIR
DIR holds params.json (the architecture), state.pt (the C# model's initial state dict) and inputs.pt
({"x_a", "x_b"}). Writes DIR/outputs.pt: the four outputs, the latents, the loss terms at these weights
and the gradient norm of each parameter group after back-propagating the weighted total.
Without state.pt the model keeps PyTorch's own initialisation (seeded) and its state dict is written to
DIR/torch_state.pt first, for the C# side to load.

With "complex" in params.json the network is the complex UNet of the notes, written the way PyTorch users write it:
complex64 nn.Conv2d layers (native complex convolution), one real nn.GroupNorm applied to the real and the imaginary
part, split ReLU and max-pool, complex arithmetic for skips and identity, and losses on complex tensors
((a - b).abs().mean() is the mean complex modulus). Only the transposed convolution is decomposed into real ones,
because PyTorch 1.13 has no complex transposed convolution on the CPU; its parameters are still complex64. The inputs
arrive as [real, imag] channel halves and the outputs leave as such; the C# side keeps each complex parameter as a
pair NAME_real / NAME_imag, which is mapped here.
"""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


CPLX = torch.complex64


def split(f, x):
    """A real operation on each part of a complex tensor; real tensors pass straight through."""
    return torch.complex(f(x.real), f(x.imag)) if x.is_complex() else f(x)


def to_complex(x):
    """[N, 2C, H, W] channel halves (real first) as a complex [N, C, H, W] tensor."""
    c = x.shape[1] // 2
    return torch.complex(x[:, :c], x[:, c:])


def to_halves(z):
    return torch.cat([z.real, z.imag], 1)


class ConvT(nn.ConvTranspose2d):
    """nn.ConvTranspose2d; when complex, computed from real transposed convolutions (absent for complex on 1.13 CPU)."""

    def forward(self, x):
        if not x.is_complex():
            return super().forward(x)
        w, b, s = self.weight, self.bias, self.stride
        re = F.conv_transpose2d(x.real, w.real, b.real, s) - F.conv_transpose2d(x.imag, w.imag, None, s)
        im = F.conv_transpose2d(x.real, w.imag, b.imag, s) + F.conv_transpose2d(x.imag, w.real, None, s)
        return torch.complex(re, im)


class DoubleConv(nn.Module):
    def __init__(self, cin, cout, dtype=None):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(cin, cout, 3, padding=1, bias=False, dtype=dtype), nn.GroupNorm(1, cout), nn.ReLU(),
            nn.Conv2d(cout, cout, 3, padding=1, bias=False, dtype=dtype), nn.GroupNorm(1, cout), nn.ReLU())

    def forward(self, x):
        for layer in self.net:
            x = layer(x) if isinstance(layer, nn.Conv2d) else split(layer, x)
        return x


class Encoder(nn.Module):
    def __init__(self, cin, features, latent, noise, dtype=None):
        super().__init__()
        self.inc = DoubleConv(cin, features[0], dtype)
        self.downs = nn.ModuleList([DoubleConv(features[i - 1], features[i], dtype) for i in range(1, len(features))])
        self.bottleneck = nn.Conv2d(features[-1], latent, 1, dtype=dtype)
        self.noise_head = nn.Conv2d(features[-1], noise, 1) if noise > 0 else None

    def forward(self, x):
        h = self.inc(x)
        skips = [h]
        for down in self.downs:
            h = down(split(lambda t: F.max_pool2d(t, 2), h))
            skips.append(h)
        zn = self.noise_head(h) if self.noise_head is not None else None
        z = self.bottleneck(h)
        return to_halves(z) if z.is_complex() else z, skips, x, zn


class Up(nn.Module):
    def __init__(self, cin, cskip, cout, mode, weight, half_input_zeros=False, dtype=None):
        super().__init__()
        cup = cskip if (cskip > 0 and mode == "additive") else max(1, cin // 2)
        if cskip > 0 and mode == "concat" and half_input_zeros:
            # zeros as wide as the upsampled tensor stand in for a missing skip, like torch.zeros_like(x1)
            cskip = cup
        self.mode, self.weight, self.cskip = mode, weight, cskip
        conv_in = cskip + cup if (cskip > 0 and mode == "concat") else cup
        self.up = ConvT(cin, cup, 2, stride=2, dtype=dtype)
        self.conv = DoubleConv(conv_in, cout, dtype)

    def forward(self, x1, x2=None):
        x1 = self.up(x1)
        if self.cskip == 0:
            return self.conv(x1)
        if self.mode == "additive":
            if x2 is not None and not x2.is_complex():
                x2 = F.interpolate(x2, size=x1.shape[2:])
            x = x1 if x2 is None else x1 + self.weight * x2
            return self.conv(x)
        if x2 is None:
            x2 = torch.zeros(x1.shape[0], self.cskip, x1.shape[2], x1.shape[3], dtype=x1.dtype)
        return self.conv(torch.cat([x2, x1], dim=1))


class Decoder(nn.Module):
    def __init__(self, latent, features, enc_features, cout, mode, weight, takes_skips, half_input_zeros, zero_init, dtype=None):
        super().__init__()
        n = len(features)
        self.expand = nn.Conv2d(latent, features[0], 1, dtype=dtype)
        self.ups = nn.ModuleList([
            Up(features[i - 1], enc_features[n - 1 - i] if takes_skips else 0, features[i], mode, weight, half_input_zeros, dtype)
            for i in range(1, n)])
        self.out = nn.Conv2d(features[-1], cout, 1, dtype=dtype)
        if zero_init:
            for prm in self.parameters():
                nn.init.zeros_(prm)

    def forward(self, z, skips=None, identity=None):
        if self.expand.weight.is_complex():
            z = to_complex(z)
        x = self.expand(z)
        n = len(self.ups) + 1
        for i, up in enumerate(self.ups):
            x = up(x, None if skips is None else skips[n - 2 - i])
        x = self.out(x)
        return x if identity is None else x + identity


class Model(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.p = p
        noise = p["noise_channels"] if p["architecture"] == "noise_aware" else 0
        dtype = CPLX if p.get("complex") else None
        channels = p["channels"] // 2 if p.get("complex") else p["channels"]
        self.encoder = Encoder(channels, p["enc_features"], p["latent"], noise, dtype)

        def dec(takes):
            return Decoder(p["latent"] + noise, p["dec_features"], p["enc_features"], channels,
                           p["skip_mode"], p["skip_weight"], takes, p["missing_skip_width"] == "half_input",
                           p["identity"] and p["identity_init"] == "zero_decoder", dtype)
        if p["architecture"] == "separate":
            self.decoder_a_same = dec(True)
            self.decoder_a_cross = dec(False)
            self.decoder_b_same = dec(True)
            self.decoder_b_cross = dec(False)
            self.same = (self.decoder_a_same, self.decoder_b_same)
            self.cross = (self.decoder_a_cross, self.decoder_b_cross)
        else:
            self.decoder_a = dec(True)
            self.decoder_b = dec(True)
            self.same = self.cross = (self.decoder_a, self.decoder_b)

    def decode_same(self, dec, e):
        z, skips, ident, zn = e
        lat = z if zn is None else torch.cat([z, zn], 1)
        if self.p["same_domain_use_skip"]:
            return dec(lat, skips, ident if self.p["identity"] else None)
        return dec(lat)

    def decode_cross(self, dec, inp, tgt):
        # inp: the encoded image (its latent is decoded); tgt: the image of the contrast being predicted
        z, skips_in, id_in, zn = inp
        _, skips_tgt, id_tgt, _ = tgt
        lat = z if zn is None else torch.cat([z, torch.zeros_like(zn)], 1)
        if self.p["architecture"] == "separate":
            return dec(lat)
        s, use_id = self.p["cross_skips"], self.p["identity"]
        if s == "target":
            return dec(lat, skips_tgt, id_tgt if use_id else None)
        if s == "input":
            return dec(lat, skips_in, id_in if use_id else None)
        if s == "zeros":
            return dec(lat, [torch.zeros_like(t) for t in skips_tgt])
        if s == "mixed":
            a = self.p["mixed_alpha"]
            mixed = [a * st + (1 - a) * si for st, si in zip(skips_tgt, skips_in)]
            return dec(lat, mixed, a * id_tgt + (1 - a) * id_in if use_id else None)
        return dec(lat)

    def forward(self, xa, xb):
        ea, eb = self.encoder(xa), self.encoder(xb)
        return (ea, eb, self.decode_same(self.same[0], ea), self.decode_same(self.same[1], eb),
                self.decode_cross(self.cross[0], eb, ea), self.decode_cross(self.cross[1], ea, eb))


def sobel(x):
    k = torch.tensor([[[[-1., 0, 1], [-2, 0, 2], [-1, 0, 1]]], [[[-1., -2, -1], [0, 0, 0], [1, 2, 1]]]])
    n, c, h, w = x.shape
    g = F.conv2d(x.reshape(n * c, 1, h, w), k, padding=1)
    return (g.pow(2).sum(1, keepdim=True) + 1e-6).sqrt()


def joined(state):
    """The C# pairs NAME_real / NAME_imag as one complex64 NAME."""
    out = {}
    for name, value in state.items():
        if name.endswith("_real"):
            out[name[:-5]] = torch.complex(value, state[name[:-5] + "_imag"])
        elif not name.endswith("_imag"):
            out[name] = value
    return out


def separated(state):
    """Complex64 entries as the C# pairs NAME_real / NAME_imag."""
    out = {}
    for name, value in state.items():
        if value.is_complex():
            out[name + "_real"], out[name + "_imag"] = value.real.clone(), value.imag.clone()
        else:
            out[name] = value
    return out


def main():
    folder = sys.argv[1]
    p = json.load(open(f"{folder}/params.json"))
    cplx = bool(p.get("complex"))
    torch.set_num_threads(1)
    torch.manual_seed(3)
    model = Model(p)
    try:
        model.load_state_dict(joined(torch.load(f"{folder}/state.pt")))
    except FileNotFoundError:
        torch.save(separated(model.state_dict()), f"{folder}/torch_state.pt")
    inputs = torch.load(f"{folder}/inputs.pt")
    xa, xb = inputs["x_a"], inputs["x_b"]
    if cplx:
        xa, xb = to_complex(xa), to_complex(xb)
    sa = sb = torch.ones(xa.shape[0], 1, 1, 1)
    if p["cross_loss_scale"] == "median":
        # per slice: the (lower) median of the modulus over all pixels; mean, then 1, where it is below 1e-6
        def scale(x):
            out = []
            for sample in x:
                m = sample.abs().flatten().median()
                if not torch.isfinite(m) or m < 1e-6:
                    m = sample.abs().mean()
                    if not torch.isfinite(m) or m < 1e-6:
                        m = torch.tensor(1.0)
                out.append(m)
            return torch.stack(out).reshape(-1, 1, 1, 1)
        sa, sb = scale(xa), scale(xb)
        xa, xb = xa / sa, xb / sb
    ea, eb, ar, br, afb, bfa = model(xa, xb)
    if cplx:
        # L1 of complex tensors: the mean modulus of the difference; MSE its square.
        pix = (lambda a, b: (a - b).abs().mean()) if p["loss"] == "l1" else (lambda a, b: (a - b).abs().pow(2).mean())
        latent_pix = F.l1_loss if p["loss"] == "l1" else F.mse_loss
        image = torch.abs
    else:
        pix = latent_pix = F.l1_loss if p["loss"] == "l1" else F.mse_loss
        image = (lambda t: t)
    w = p["weights"]
    content = latent_pix(ea[0], eb[0])
    recon = pix(ar, xa) + pix(br, xb)
    # the cross outputs and their targets at each slice's own scale
    cross = pix(sa * afb, sa * xa) + pix(sb * bfa, sb * xb)
    edge = sum(F.l1_loss(sobel(image(o)), sobel(image(t))) for o, t in ((ar, xa), (br, xb), (sa * afb, sa * xa), (sb * bfa, sb * xb)))
    total = w["content"] * content + w["recon"] * recon + w["cross"] * cross + w["edge"] * edge
    total.backward()
    if cplx:
        ar, br, afb, bfa = to_halves(ar), to_halves(br), to_halves(afb), to_halves(bfa)

    def norm(module_names):
        # |g|^2: a complex parameter's gradient is dL/dRe + i dL/dIm, so this is the norm over both real parts.
        sq = [prm.grad.abs().pow(2).sum() for name, prm in model.named_parameters()
              if name.split(".")[0] in module_names and prm.grad is not None]
        return torch.stack(sq).sum().sqrt()
    a_names = ("decoder_a", "decoder_a_same", "decoder_a_cross")
    b_names = ("decoder_b", "decoder_b_same", "decoder_b_cross")
    out = {
        "x_a_recon": ar.detach(), "x_b_recon": br.detach(), "x_a_from_b": afb.detach(), "x_b_from_a": bfa.detach(),
        "z_a": ea[0].detach(), "z_b": eb[0].detach(),
        "loss.content": content.detach(), "loss.recon": recon.detach(), "loss.cross": cross.detach(),
        "loss.edge": edge.detach(), "loss.total": total.detach(),
        "grad_norm.encoder": norm(("encoder",)), "grad_norm.decoder_a": norm(a_names), "grad_norm.decoder_b": norm(b_names),
    }
    torch.save(out, f"{folder}/outputs.pt")


if __name__ == "__main__":
    main()
