using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Training;

/// <summary>
/// TorchSharp 0.107's <see cref="AdamW"/> with a step whose Scalars are held for their native calls, for the reason
/// given on <see cref="HeldScalarAdam"/>. The same operations in the same order with the same values as AdamW's own
/// step (decoupled weight decay first, no <c>conj</c> in the second moment), so results are bit-identical.
/// </summary>
public sealed class HeldScalarAdamW : AdamW
{
    public HeldScalarAdamW(IEnumerable<Parameter> parameters, double lr, double beta1 = 0.9, double beta2 = 0.999, double weightDecay = 0, double eps = 1e-8, bool amsgrad = false, bool maximize = false)
        : base(parameters, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize)
    {
    }

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(StepGroup, closure);

    private void StepGroup(ParamGroup group)
    {
        var options = group.Options;
        var (beta1, beta2, weightDecay, eps) = (options.beta1!.Value, options.beta2!.Value, options.weight_decay!.Value, options.eps!.Value);
        var (amsgrad, maximize) = (options.amsgrad!.Value, options.maximize!.Value);
        var lr = options.LearningRate!.Value;
        foreach (var parameter in group.Parameters)
        {
            var state = (State)_state[parameter.Handle];
            var grad = parameter.grad;
            if (grad is null)
            {
                continue;
            }

            if (maximize)
            {
                grad = -grad;
            }

            state.step += 1;
            using (var decay = (1 - (lr * weightDecay)).ToScalar())
            {
                parameter.mul_(decay);
            }

            var biasCorrection1 = 1 - Math.Pow(beta1, state.step);
            var biasCorrection2 = 1 - Math.Pow(beta2, state.step);
            using (var b1 = beta1.ToScalar())
            using (var oneMinusB1 = (1 - beta1).ToScalar())
            {
                state.exp_avg.mul_(b1).add_(grad, oneMinusB1);
            }

            using (var b2 = beta2.ToScalar())
            using (var oneMinusB2 = (1 - beta2).ToScalar())
            {
                state.exp_avg_sq.mul_(b2).addcmul_(grad, grad, oneMinusB2);
            }

            if (amsgrad)
            {
                var previous = state.max_exp_avg_sq;
                state.max_exp_avg_sq = maximum(previous, state.exp_avg_sq).DetachFromDisposeScope();
                previous.Dispose();
            }

            using var rootCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
            using var epsilon = eps.ToScalar();
            var denominator = (amsgrad ? state.max_exp_avg_sq : state.exp_avg_sq).sqrt().div(rootCorrection2).add_(epsilon, Runtime.HeldScalars.One);
            using var stepSize = (-(lr / biasCorrection1)).ToScalar();
            parameter.addcdiv_(state.exp_avg, denominator, stepSize);
        }
    }
}
